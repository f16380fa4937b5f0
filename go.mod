module github.com/ruleforge/ruleforge

go 1.26.8

require github.com/gobwas/glob v1.1.0 // indirect
