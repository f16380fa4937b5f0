package normalize

import "strings"

// processCreated is the categorization of the Security log's event 4688,
// "A new process has been created", Winlogbeat's
// (x-pack/winlogbeat/module/security/ingest/security.yml).
var processCreated = category{[]string{"process"}, []string{"start"}, "created-process"}

// addSecurity adds the ECS fields of a Security log event: event.module,
// and for event 4688 the new process, its parent and the user, as
// Winlogbeat's Security module maps them.
func addSecurity(r *record, v view, id string) {
	v.str(eventModule, "security")
	if id != "4688" {
		return
	}
	categorize(v, processCreated)
	pid, ok := r.num("NewProcessId")
	v.num(processPID, pid, ok)
	process(v, theProcess, r.str("NewProcessName"), r.str("CommandLine"))
	ppid, ok := r.num("ProcessId")
	v.num(parentPID, ppid, ok)
	process(v, theParent, r.str("ParentProcessName"), "")

	// The subject created the process; the target, when there is one, is
	// the account the process runs as.
	v.str(userID, r.str("SubjectUserSid"))
	v.str(userName, r.str("SubjectUserName"))
	v.str(userDomain, r.str("SubjectDomainName"))
	v.str(winlogLogonID, r.str("SubjectLogonId"))
	v.str(effectiveUserID, r.str("TargetUserSid"))
	name, _, _ := strings.Cut(r.str("TargetUserName"), "@")
	v.str(effectiveUserName, name)
	v.str(effectiveUserDomain, r.str("TargetDomainName"))
}
