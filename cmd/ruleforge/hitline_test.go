package main

// hit is a hit line (internal/hitline) as the tests read it back.
type hit struct {
	Input     string `json:"input"`
	Event     int    `json:"event"`
	RuleID    string `json:"rule_id"`
	Title     string `json:"title"`
	Language  string `json:"language"`
	Severity  string `json:"severity"`
	RiskScore *int   `json:"risk_score"`
	RuleFile  string `json:"rule_file"`
	Timestamp string `json:"timestamp"`
	Computer  string `json:"computer"`
	Channel   string `json:"channel"`
	EventID   *int64 `json:"event_id"`
	RecordID  *int64 `json:"record_id"`
}
