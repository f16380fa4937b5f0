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
	v.numOf(processPID, r, dNewProcessID)
	if v.wants(theProcess.executable, theProcess.name, theProcess.commandLine, theProcess.args, theProcess.argsCount) {
		process(v, theProcess, r.str(dNewProcessName), r.str(dCommandLine))
	}
	v.numOf(parentPID, r, dProcessID)
	if v.wants(theParent.executable, theParent.name) {
		process(v, theParent, r.str(dParentProcessName), "")
	}

	// The subject created the process; the target, when there is one, is
	// the account the process runs as.
	v.strOf(userID, r, dSubjectUserSid)
	v.strOf(userName, r, dSubjectUserName)
	v.strOf(userDomain, r, dSubjectDomainName)
	v.strOf(winlogLogonID, r, dSubjectLogonID)
	v.strOf(effectiveUserID, r, dTargetUserSid)
	if v.wants(effectiveUserName) {
		name, _, _ := strings.Cut(r.str(dTargetUserName), "@")
		v.str(effectiveUserName, name)
	}
	v.strOf(effectiveUserDomain, r, dTargetDomainName)
}
