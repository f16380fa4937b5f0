package normalize_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// BenchmarkNormalize normalizes a copy of a Sysmon process creation per
// op, as a record and as a Flat event; "copy" is the cost of the copy
// alone, the baseline to subtract.
func BenchmarkNormalize(b *testing.B) {
	record := decode(b, sysmonRecord(1, `"ProcessGuid": "{0197231E-4A83-694D-9E0E-000000000800}", "ProcessId": 14144,
		"Image": "C:\\Windows\\System32\\reg.exe", "OriginalFileName": "reg.exe", "CurrentDirectory": "C:\\WINDOWS\\system32\\",
		"CommandLine": "\"C:\\WINDOWS\\system32\\reg.exe\" add \"HKCU\\Software\\A B\" /v X /d 0 /f", "User": "CORP\\bob",
		"Hashes": "MD5=573EB13AC2BA31E9C2E17FB6DAD14154,IMPHASH=A26BCB048DF34CBB422F2656F38634D0",
		"ParentProcessId": 12456, "ParentImage": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
		"ParentCommandLine": "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\""`))
	flat := flatten(record)
	for _, bm := range []struct {
		name  string
		event map[string]any
		norm  bool
	}{
		{"record/copy", record, false},
		{"record", record, true},
		{"flat/copy", flat, false},
		{"flat", flat, true},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m := clone(bm.event)
				if bm.norm {
					normalize.Normalize(m, normalize.Auto)
				}
			}
		})
	}
}

func BenchmarkSplitCommandLine(b *testing.B) {
	for _, bm := range []struct{ name, line string }{
		{"plain", `C:\Windows\System32\wbem\mofcomp.exe C:\Users\bob\AppData\Local\Temp\evil.mof /N:root\default`},
		{"quoted", `"C:\WINDOWS\system32\reg.exe" add "HKCU\Software\Microsoft\Windows Script\Settings" /v AmsiEnable /d 0 /f`},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				normalize.SplitCommandLine(bm.line)
			}
		})
	}
}

// BenchmarkReader reads and matches a Sysmon process creation record per
// op with a Reader ("reader"), against decoding it with match.ParseJSON,
// normalizing the map and matching the Doc ("map", the baseline), for the
// seed rules and, with the shared corpus, all SigmaHQ Windows rules.
func BenchmarkReader(b *testing.B) {
	raw := []byte(sysmonRecord(1, `"ProcessGuid": "{0197231E-4A83-694D-9E0E-000000000800}", "ProcessId": 14144,
		"Image": "C:\\Windows\\System32\\reg.exe", "OriginalFileName": "reg.exe", "CurrentDirectory": "C:\\WINDOWS\\system32\\",
		"CommandLine": "\"C:\\WINDOWS\\system32\\reg.exe\" add \"HKCU\\Software\\A B\" /v X /d 0 /f", "User": "CORP\\bob",
		"Hashes": "MD5=573EB13AC2BA31E9C2E17FB6DAD14154,IMPHASH=A26BCB048DF34CBB422F2656F38634D0",
		"ParentProcessId": 12456, "ParentImage": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
		"ParentCommandLine": "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\""`))
	sets := []struct {
		name string
		rs   *match.Ruleset
	}{{"seeds", seedRules(b, false)}}
	if dir := filepath.Join(shared, "corpus", "sigmahq", "rules", "windows"); exists(dir) {
		sets = append(sets, struct {
			name string
			rs   *match.Ruleset
		}{"sigmahq", loadCorpus(b, dir)})
	}
	for _, set := range sets {
		rs := set.rs
		b.Run(set.name+"/map", func(b *testing.B) {
			b.ReportAllocs()
			var hits []int
			for b.Loop() {
				doc, err := match.ParseJSON(raw)
				if err != nil {
					b.Fatal(err)
				}
				normalize.Normalize(doc.Map(), normalize.Auto)
				hits = rs.Match(match.NewDoc(doc.Map()), hits[:0])
			}
		})
		b.Run(set.name+"/reader", func(b *testing.B) {
			b.ReportAllocs()
			rd := normalize.NewReader(rs, normalize.Auto)
			var hits []int
			for b.Loop() {
				rec, err := rd.Read(raw)
				if err != nil {
					b.Fatal(err)
				}
				hits = rs.MatchRecord(rec, hits[:0])
			}
		})
	}
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
