package normalize

import (
	"regexp"
	"strconv"
	"strings"
)

// registryHives are the abbreviations ECS uses for registry.hive, by the
// first element of a key path (full or abbreviated, upper case).
var registryHives = map[string]string{
	"HKEY_CLASSES_ROOT": "HKCR", "HKCR": "HKCR",
	"HKEY_CURRENT_CONFIG": "HKCC", "HKCC": "HKCC",
	"HKEY_CURRENT_USER": "HKCU", "HKCU": "HKCU",
	"HKEY_DYN_DATA": "HKDD", "HKDD": "HKDD",
	"HKEY_LOCAL_MACHINE": "HKLM", "HKLM": "HKLM",
	"HKEY_PERFORMANCE_DATA": "HKPD", "HKPD": "HKPD",
	"HKEY_USERS": "HKU", "HKU": "HKU",
}

// The forms of Sysmon's Details field for numbers: "DWORD (0x0000002a)",
// "QWORD (0x00000001-0x0000002a)" (high and low halves).
var (
	dwordDetails = regexp.MustCompile(`^(?i)DWORD \(0x([0-9a-f]{8})\)$`)
	qwordDetails = regexp.MustCompile(`^(?i)QWORD \(0x([0-9a-f]{8})-0x([0-9a-f]{8})\)$`)
)

// registry adds the fields of a registry event: registry.path (the key or
// value path, Sysmon's TargetObject), registry.hive and registry.key (the
// path after the hive) when the path starts with a known hive,
// registry.value (the path's last element), and registry.data.strings and
// registry.data.type from Sysmon's Details.
func registry(v view, path, details string) {
	if path == "" {
		return
	}
	v.str(registryPath, path)
	if v.wants(registryHive, registryKey, registryValue) {
		elems := strings.Split(path, `\`)
		if hive, ok := registryHives[strings.ToUpper(elems[0])]; ok {
			v.str(registryHive, hive)
			if len(elems) > 1 {
				v.str(registryKey, strings.Join(elems[1:], `\`))
			}
		}
		v.str(registryValue, elems[len(elems)-1])
	}
	if details == "" || !v.wants(registryDataStrings, registryDataType) {
		return
	}
	data, typ := details, "REG_SZ"
	if m := dwordDetails.FindStringSubmatch(details); m != nil {
		n, _ := strconv.ParseUint(m[1], 16, 32)
		data, typ = strconv.FormatUint(n, 10), "SZ_DWORD"
	} else if m := qwordDetails.FindStringSubmatch(details); m != nil {
		hi, _ := strconv.ParseUint(m[1], 16, 32)
		lo, _ := strconv.ParseUint(m[2], 16, 32)
		data, typ = strconv.FormatUint(hi<<32|lo, 10), "SZ_QWORD"
	} else if details == "Binary Data" {
		typ = "REG_BINARY"
	}
	v.list(registryDataStrings, []string{data})
	v.str(registryDataType, typ)
}
