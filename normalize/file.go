package normalize

// peFields are the PE header fields Sysmon reports, in the order of
// filePaths.pe.
var peFields = [...]string{"OriginalFileName", "Company", "Description", "FileVersion", "Product"}

// filePaths are the ECS paths of the fields that describe a file (an
// executable, a loaded image) under one prefix: process, file or dll.
type filePaths struct {
	pe                                 [len(peFields)]string
	hash                               map[string]string // by hash kind; imphash under pe
	subjectName, status, signed, valid string            // code signature
}

// newFilePaths returns the paths of the file fields under prefix.
func newFilePaths(prefix string) filePaths {
	f := filePaths{
		pe: [...]string{prefix + ".pe.original_file_name", prefix + ".pe.company", prefix + ".pe.description",
			prefix + ".pe.file_version", prefix + ".pe.product"},
		hash:        map[string]string{"imphash": prefix + ".pe.imphash"},
		subjectName: prefix + ".code_signature.subject_name",
		status:      prefix + ".code_signature.status",
		signed:      prefix + ".code_signature.signed",
		valid:       prefix + ".code_signature.valid",
	}
	for _, kind := range hashKinds {
		if kind != "imphash" {
			f.hash[kind] = prefix + ".hash." + kind
		}
	}
	return f
}

// The files Sysmon events describe: the process's executable, the file
// the event is about, and a loaded library.
var (
	processFile = newFilePaths("process")
	fileFile    = newFilePaths("file")
	dllFile     = newFilePaths("dll")
)
