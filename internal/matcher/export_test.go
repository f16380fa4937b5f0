package matcher

// RegexLiterals exposes regexLiterals to the external tests.
var RegexLiterals = regexLiterals
