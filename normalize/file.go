package normalize

import (
	"maps"
	"slices"
)

// filePaths are the ECS paths of the fields that describe a file (an
// executable, a loaded image) under one prefix: process, file or dll.
type filePaths struct {
	pe                                 [len(peFields)]field
	hash                               map[string]field // by hash kind; imphash under pe
	hashes                             []field          // hash's fields
	subjectName, status, signed, valid field            // code signature
}

// newFilePaths returns the paths of the file fields under prefix.
func newFilePaths(prefix string) filePaths {
	f := filePaths{
		pe: [...]field{newField(prefix + ".pe.original_file_name"), newField(prefix + ".pe.company"), newField(prefix + ".pe.description"),
			newField(prefix + ".pe.file_version"), newField(prefix + ".pe.product")},
		hash:        map[string]field{"imphash": newField(prefix + ".pe.imphash")},
		subjectName: newField(prefix + ".code_signature.subject_name"),
		status:      newField(prefix + ".code_signature.status"),
		signed:      newField(prefix + ".code_signature.signed"),
		valid:       newField(prefix + ".code_signature.valid"),
	}
	for _, kind := range slices.Sorted(maps.Values(hashKinds)) {
		if kind != "imphash" {
			f.hash[kind] = newField(prefix + ".hash." + kind)
		}
	}
	f.hashes = slices.Sorted(maps.Values(f.hash))
	return f
}

// The files Sysmon events describe: the process's executable, the file
// the event is about, and a loaded library.
var (
	processFile = newFilePaths("process")
	fileFile    = newFilePaths("file")
	dllFile     = newFilePaths("dll")
)
