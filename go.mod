module github.com/ruleforge/ruleforge

go 1.26.8
