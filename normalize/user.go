package normalize

import "strings"

// wellKnownUsers are the SIDs of the service accounts Windows names the
// same on every machine (in English), by DOMAIN\name in any case.
var wellKnownUsers = map[string]string{
	`NT AUTHORITY\SYSTEM`:          "S-1-5-18",
	`NT AUTHORITY\LOCAL SERVICE`:   "S-1-5-19",
	`NT AUTHORITY\NETWORK SERVICE`: "S-1-5-20",
}

// user adds user.domain and user.name from an account written
// DOMAIN\name, as Winlogbeat splits Sysmon's User (nothing unless there
// is exactly one backslash), and user.id when the account is a well-known
// service account.
func user(v view, account string) {
	domain, name, ok := strings.Cut(account, `\`)
	if !ok || strings.Contains(name, `\`) {
		return
	}
	v.str(userDomain, domain)
	v.str(userName, name)
	for known, sid := range wellKnownUsers {
		if strings.EqualFold(account, known) {
			v.str(userID, sid)
		}
	}
}
