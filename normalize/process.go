package normalize

// processPaths are the ECS paths of one process's fields.
type processPaths struct {
	executable, name, commandLine, args, argsCount field
}

// newProcessPaths returns the paths of the process fields under prefix.
func newProcessPaths(prefix string) processPaths {
	return processPaths{newField(prefix + ".executable"), newField(prefix + ".name"), newField(prefix + ".command_line"),
		newField(prefix + ".args"), newField(prefix + ".args_count")}
}

// The process an event is about and its parent.
var (
	theProcess = newProcessPaths("process")
	theParent  = newProcessPaths("process.parent")
)

// process adds the fields of one process that derive from its executable
// and command line: executable, name (the executable's file name),
// command_line, and args and args_count (the command line split as
// CommandLineToArgvW splits it).
func process(v view, p processPaths, executable, commandLine string) {
	if executable != "" {
		v.str(p.executable, executable)
		if v.wants(p.name) {
			v.str(p.name, baseName(executable))
		}
	}
	if commandLine != "" {
		v.str(p.commandLine, commandLine)
		if !v.wants(p.args, p.argsCount) {
			return
		}
		if args := v.split(commandLine); len(args) > 0 {
			v.list(p.args, args)
			v.num(p.argsCount, int64(len(args)), true)
		}
	}
}
