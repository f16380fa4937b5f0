package sigma_test

import (
	"fmt"
	"strings"

	"github.com/ruleforge/ruleforge/sigma"
)

func ExampleParseRule() {
	src := `title: Mofcomp from a shell
id: 00000000-0000-4000-8000-000000000000
level: high
tags:
  - attack.t1218
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\mofcomp.exe'
    ParentImage|endswith: ['\cmd.exe', '\powershell.exe']
  filter:
    CommandLine|contains: '%temp%'
  condition: selection and not filter
`
	r, err := sigma.ParseRule("mofcomp.yml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Title, r.Severity, r.Attack, r.Source)
	fmt.Println(r.Expr)
	fmt.Println(strings.Join(r.Expr.Args[0].Args[0].Pred.Field.Lookup(), "\n"))
	// Output:
	// Mofcomp from a shell high [T1218] mofcomp.yml:9:1
	// (and (and Image suffix~ "\mofcomp.exe" ParentImage suffix~ ("\cmd.exe", "\powershell.exe")) (not CommandLine contains~ "%temp%"))
	// Image
	// Event.EventData.Image
	// Event.System.Image
	// process.executable
}

func ExampleParseRule_error() {
	src := `title: Encoded command
detection:
  selection:
    CommandLine|base64offset|contains: 'IEX'
  condition: selection
`
	_, err := sigma.ParseRule("encoded.yml", []byte(src))
	fmt.Println(err)
	// Output:
	// encoded.yml:4:5: search "selection": unsupported modifier "base64offset" on field "CommandLine"
}
