package normalize

import "strings"

// SplitCommandLine splits a Windows command line into its arguments the
// way CommandLineToArgvW does (Wine's reimplementation documents the rules
// it shares with Windows):
//
//   - Leading spaces and tabs are skipped; a line of nothing else has no
//     arguments. (CommandLineToArgvW returns the program's own path for an
//     empty line and an empty program name for a leading blank.)
//   - The program name, the first argument, is read without escapes: when
//     it starts with a double quote it runs to the next double quote (or
//     the end), and the next argument starts right after that quote; else
//     it runs to the first space or tab, quotes and backslashes included.
//   - The other arguments are separated by runs of spaces and tabs outside
//     quotes. A double quote opens or closes a quoted part; 2n backslashes
//     before a double quote are n backslashes, the quote still opening or
//     closing; 2n+1 backslashes before one are n backslashes and a literal
//     quote; backslashes before anything else are literal.
//   - Inside a quoted part, two double quotes are one literal double quote
//     and close the quoted part: CommandLineToArgvW's rule, the C
//     runtime's before 2008, and the rule Winlogbeat's Sysmon module
//     applies. (The C runtime since 2008 stays inside the quoted part.)
//     So three quotes inside a quoted part are a literal quote, still
//     quoted.
//   - A quoted part left open runs to the end of the line.
//
// Arguments are bytes: only space, tab, double quote and backslash are
// special, so UTF-8 passes through unchanged. Only the first MaxArgs
// arguments are returned.
func SplitCommandLine(s string) []string { return appendArgs(nil, s) }

// MaxArgs is the most arguments SplitCommandLine returns (and the ECS
// view's process.args holds; args_count counts them): a real Windows
// command line, at most 32,767 characters, has fewer, and a hostile
// 20 MB value of "a a a …" would otherwise become ten million strings
// per event. It has no option: no real command line needs more.
const MaxArgs = 16 << 10

// appendArgs appends the arguments of command line s to args, as
// SplitCommandLine splits them, and returns the extended slice.
func appendArgs(args []string, s string) []string {
	most := len(args) + MaxArgs
	i := skipBlanks(s, 0)
	if i == len(s) {
		return args
	}
	if s[i] == '"' {
		end := strings.IndexByte(s[i+1:], '"')
		if end < 0 {
			return append(args, s[i+1:])
		}
		args = append(args, s[i+1:i+1+end])
		i += end + 2
	} else {
		start := i
		for i < len(s) && !isBlank(s[i]) {
			i++
		}
		args = append(args, s[start:i])
	}
	for len(args) < most {
		if i = skipBlanks(s, i); i == len(s) {
			return args
		}
		var arg string
		arg, i = nextArg(s, i)
		args = append(args, arg)
	}
	return args
}

// nextArg reads the argument that starts at s[i] (not a blank) and returns
// it and the index of the blank after it, or len(s).
func nextArg(s string, i int) (string, int) {
	// Without a double quote, an argument is its text.
	end := i
	for end < len(s) && !isBlank(s[end]) {
		if s[end] == '"' {
			return unquoteArg(s, i)
		}
		end++
	}
	return s[i:end], end
}

// unquoteArg reads an argument that has double quotes.
func unquoteArg(s string, i int) (string, int) {
	if arg, end, ok := quotedArg(s, i); ok {
		return arg, end
	}
	var b strings.Builder
	quoted := false
	for i < len(s) {
		c := s[i]
		switch {
		case isBlank(c) && !quoted:
			return b.String(), i
		case c == '\\':
			n := 0
			for i+n < len(s) && s[i+n] == '\\' {
				n++
			}
			if i+n < len(s) && s[i+n] == '"' {
				b.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 { // an escaped, literal quote
					b.WriteByte('"')
					i += n + 1
				} else { // the quote still opens or closes
					i += n
				}
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
		case c == '"':
			if quoted && i+1 < len(s) && s[i+1] == '"' {
				b.WriteByte('"')
				i += 2
				quoted = false
				continue
			}
			quoted = !quoted
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), i
}

// quotedArg reads the common argument that is one quoted part, "text",
// with no quote inside, no backslash right before its closing quote (the
// others are literal), and a blank or the end after it, as the text itself
// (no copy), and reports whether the argument at s[i] is one.
func quotedArg(s string, i int) (string, int, bool) {
	if s[i] != '"' {
		return "", 0, false
	}
	end := strings.IndexByte(s[i+1:], '"')
	if end < 0 {
		return "", 0, false
	}
	end += i + 1
	if s[end-1] == '\\' || end+1 < len(s) && !isBlank(s[end+1]) {
		return "", 0, false
	}
	return s[i+1 : end], end + 1, true
}

// isBlank reports whether c separates arguments: a space or a tab.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// skipBlanks returns the index of the first byte at or after i that is
// not a blank, or len(s).
func skipBlanks(s string, i int) int {
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return i
}
