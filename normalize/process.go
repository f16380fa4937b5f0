package normalize

// processPaths are the ECS paths of one process's fields.
type processPaths struct {
	executable, name, commandLine, args, argsCount string
}

// newProcessPaths returns the paths of the process fields under prefix.
func newProcessPaths(prefix string) processPaths {
	return processPaths{prefix + ".executable", prefix + ".name", prefix + ".command_line",
		prefix + ".args", prefix + ".args_count"}
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
		v.str(p.name, baseName(executable))
	}
	if commandLine != "" {
		v.str(p.commandLine, commandLine)
		if args := SplitCommandLine(commandLine); len(args) > 0 {
			v.set(p.args, strs(args...))
			v.set(p.argsCount, int64(len(args)))
		}
	}
}
