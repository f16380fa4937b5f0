package normalize

import "strings"

// hashKinds are the hashes Sysmon computes, by the upper-case names its
// Hashes field gives them.
var hashKinds = map[string]string{"MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "IMPHASH": "imphash"}

// parseHash reads one item of Sysmon's Hashes field, "SHA1=…": the
// hash's kind (lower case) and its value, blanks trimmed, and whether it
// is a hash to keep: of a known kind, neither empty nor all zeros
// (Sysmon's "no hash"), as Winlogbeat keeps them.
func parseHash(item string) (kind, value string, ok bool) {
	k, val, ok := strings.Cut(item, "=")
	if !ok {
		return "", "", false
	}
	kind, known := hashKinds[strings.ToUpper(strings.TrimSpace(k))]
	val = strings.TrimSpace(val)
	if !known || strings.Trim(val, "0") == "" {
		return "", "", false
	}
	return kind, val, true
}

// hashes adds the hashes of a Sysmon event's file f from its Hashes
// field, "SHA1=…,MD5=…,IMPHASH=…" (parseHash), values lower-cased:
// <prefix>.hash.<kind>, and the import hash at <prefix>.pe.imphash, where
// ECS and Winlogbeat put it.
func hashes(r *record, v view, f filePaths) {
	if !v.wants(f.hashes...) {
		return
	}
	for s := sysmonHashes(r); s != ""; {
		var item string
		item, s, _ = strings.Cut(s, ",")
		if kind, val, ok := parseHash(item); ok {
			v.str(f.hash[kind], v.lower(val))
		}
	}
}
