package normalize

import "strings"

// hashKinds are the hashes Sysmon computes, by the upper-case names its
// Hashes field gives them.
var hashKinds = map[string]string{"MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "IMPHASH": "imphash"}

// hash is one hash of a file: its kind (lower case) and lower-case value.
type hash struct{ kind, value string }

// parseHashes reads Sysmon's Hashes field, "SHA1=…,MD5=…,IMPHASH=…": the
// hashes of known kinds, values lower-cased; empty and all-zero values
// (Sysmon's "no hash") are left out, as Winlogbeat leaves them out.
func parseHashes(s string) []hash {
	var out []hash
	for s != "" {
		var item string
		item, s, _ = strings.Cut(s, ",")
		k, val, ok := strings.Cut(item, "=")
		if !ok {
			continue
		}
		kind, known := hashKinds[strings.ToUpper(strings.TrimSpace(k))]
		val = strings.ToLower(strings.TrimSpace(val))
		if !known || strings.Trim(val, "0") == "" {
			continue
		}
		out = append(out, hash{kind, val})
	}
	return out
}

// hashes adds the hashes of a Sysmon event's file f: <prefix>.hash.<kind>,
// and the import hash at <prefix>.pe.imphash, where ECS and Winlogbeat put
// it.
func hashes(r *record, v view, f filePaths) {
	if !v.wants(f.hashes...) {
		return
	}
	for _, h := range parseHashes(sysmonHashes(r)) {
		v.str(f.hash[h.kind], h.value)
	}
}
