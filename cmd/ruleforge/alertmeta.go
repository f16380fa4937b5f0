package main

import (
	"slices"
	"strings"

	"github.com/ruleforge/ruleforge/ir"
)

// newAlertRule returns an alert's rule.* fields for rule. Author,
// references and false positives are named as in Elastic's alert
// documents (kibana.alert.rule.*); ECS's rule.author is the same list.
func newAlertRule(rule *ir.Rule) alertRule {
	return alertRule{ID: rule.ID, Name: rule.Title, Severity: rule.Severity, RiskScore: rule.RiskScore,
		Language: rule.Lang.String(), File: rule.Source.File, Tags: rule.Tags,
		Author: rule.Author, References: rule.References, FalsePositives: rule.FalsePositives}
}

// alertThreat is an alert's threat.* fields in ECS form (ECS field
// reference, "Threat Fields"): the framework, the tactics' ids and names,
// and the technique and sub-technique ids.
type alertThreat struct {
	Framework string          `json:"framework"`
	Tactic    *alertTactic    `json:"tactic,omitempty"`
	Technique *alertTechnique `json:"technique,omitempty"`
}

// alertTactic is threat.tactic.*: ids and names in the rule's order. A
// tactic without an id (an Elastic rule may omit it) has only its name.
type alertTactic struct {
	ID   []string `json:"id,omitempty"`
	Name []string `json:"name,omitempty"`
}

// alertTechnique is threat.technique.*: technique ids, and the
// sub-technique ids under subtechnique.id. A sub-technique's parent
// (T1055 of T1055.001) is listed as a technique even when the rule names
// only the sub-technique, as ECS nests one in the other.
type alertTechnique struct {
	ID           []string           `json:"id"`
	Subtechnique *alertSubtechnique `json:"subtechnique,omitempty"`
}

// alertSubtechnique is threat.technique.subtechnique.*.
type alertSubtechnique struct {
	ID []string `json:"id"`
}

// newAlertThreat returns the threat.* fields of rule, nil when the rule
// names no ATT&CK tactic or technique.
func newAlertThreat(rule *ir.Rule) *alertThreat {
	if len(rule.Tactics) == 0 && len(rule.Techniques) == 0 {
		return nil
	}
	th := &alertThreat{Framework: "MITRE ATT&CK"}
	if len(rule.Tactics) > 0 {
		th.Tactic = &alertTactic{}
		for _, t := range rule.Tactics {
			if t.ID != "" {
				th.Tactic.ID = append(th.Tactic.ID, t.ID)
			}
			if t.Name != "" {
				th.Tactic.Name = append(th.Tactic.Name, t.Name)
			}
		}
	}
	if len(rule.Techniques) > 0 {
		te := &alertTechnique{}
		for _, id := range rule.Techniques {
			parent, _, sub := strings.Cut(id, ".")
			if !slices.Contains(te.ID, parent) {
				te.ID = append(te.ID, parent)
			}
			if sub {
				if te.Subtechnique == nil {
					te.Subtechnique = &alertSubtechnique{}
				}
				te.Subtechnique.ID = append(te.Subtechnique.ID, id)
			}
		}
		th.Technique = te
	}
	return th
}
