package eql

import "testing"

// lowerTests pair a query with functions, arithmetic or computed operands
// with the String form of its lowering. Constant comparisons fold to true
// or false; a not above a script gets the condition that its operands are
// not null (see Null in the package documentation).
var lowerTests = []struct {
	query, want string
}{
	// add, subtract, multiply, divide, modulo and their operators.
	{`any where add(a, b) == 6`, `add(a, b) equal 6`},
	{`any where add(4, 0.5) == 4.5`, `true`},
	{`any where add(null, a) == 1`, `add(null, a) equal 1`},
	{`any where subtract(a, 0.5) < 9.5`, `subtract(a, 0.5) lt 9.5`},
	{`any where multiply(a, b) > 6`, `multiply(a, b) gt 6`},
	{`any where divide(a, 3.0) > 1`, `divide(a, number("3.0")) gt 1`},
	{`any where divide(4, 3) == 1`, `true`},
	{`any where divide(4, 3.0) > 1.3`, `true`},
	{`any where modulo(a, 6) == 4`, `modulo(a, 6) equal 4`},
	{`any where modulo(-10, -6) == -4`, `true`},
	{`any where a + b > 5`, `add(a, b) gt 5`},
	{`any where a - b <= 0`, `subtract(a, b) le 0`},
	{`any where a * 2 == 4`, `multiply(a, 2) equal 4`},
	{`any where a / 2 >= 1`, `divide(a, 2) ge 1`},
	{`any where process.pid % 2 == 0`, `modulo(process.pid, 2) equal 0`},
	{`any where a % length(b) > 0`, `modulo(a, length(b)) gt 0`},
	{`any where a * 1e3 > 5`, `multiply(a, number("1000.0")) gt 5`},
	{`any where 1 + 2 * 3 == 7`, `true`},
	{`any where (1 + 2) * 3 == 9`, `true`},
	{`any where 7 / 2 == 3`, `true`},
	{`any where 7.0 / 2 == 3.5`, `true`},
	// Integer constants move across the comparison.
	{`any where add(a, 5) == 9`, `a equal 4`},
	{`any where subtract(15, a) == 5`, `a equal 10`},
	{`any where a + 1 > 5`, `a gt 4`},
	{`any where 1 + a >= 5`, `a ge 4`},
	{`any where a - 1 == 81`, `a equal 82`},
	{`any where 10 - a < 3`, `a gt 7`},
	{`any where 5 < a + 1`, `a gt 4`},
	{`any where a + 1 + 2 == 6`, `a equal 3`},
	{`any where a + 1 != 5`, `(not a equal 4)`},
	{`any where length(a) + 1 > 3`, `length(a) gt 2`},
	{`any where -a < 3`, `a gt -3`},
	{`any where - -a == 3`, `a equal 3`},
	{`any where +a == 3`, `a equal 3`},
	{`any where a + 1.5 > 5`, `add(a, 1.5) gt 5`},
	{`any where a + 1 > 5.5`, `add(a, 1) gt 5.5`},
	// between.
	{`any where between(a, "x", "y") == "z"`, `between(a, "x", "y") equal "z"`},
	{`any where between~(a, "x", "y", true) == "z"`, `between~(a, "x", "y", true) equal "z"`},
	{`any where between(a, b, "y", c) : "z*"`, `between(a, b, "y", c) glob~ "z*"`},
	{`any where between("a-b-c", "-", "-") == "b"`, `true`},
	{`any where between("a-b-c", "-", "") == ""`, `true`},
	// cidrMatch.
	{`any where CIDRMATCH(a, "10.0.0.0/8", "::1")`, `a cidr ("10.0.0.0/8", "::1")`},
	{`any where cidrMatch(a, "10.0.0.0/8", null)`, `false`},
	{`any where not cidrMatch(null, "10.0.0.0/8")`, `false`},
	// concat.
	{`any where concat(a) == "x"`, `concat(a) equal "x"`},
	{`any where concat(a, " ", 42, " ", 42.5, true) == "x"`, `concat(a, " ", 42, " ", 42.5, true) equal "x"`},
	{`any where concat("process is ", "regsvr32.exe") == "process is regsvr32.exe"`, `true`},
	{`any where concat("a", 42.5, true, 1) == "a42.5true1"`, `true`},
	{`any where concat(a, null) == "x"`, `concat(a, null) equal "x"`},
	// endsWith, startsWith and stringContains: a query over a field and a
	// constant, a script otherwise.
	{`any where endsWith~(a, b)`, `a suffix~ b`},
	{`any where endsWith("regsvr32.exe", a)`, `"regsvr32.exe" suffix a`},
	{`any where endsWith("regsvr32.exe", ".EXE")`, `false`},
	{`any where endsWith~("regsvr32.exe", ".EXE")`, `true`},
	{`any where endsWith(concat(a, "*"), "*")`, `concat(a, "\*") suffix "\*"`},
	{`any where startsWith(a, b)`, `a prefix b`},
	{`any where startsWith(a, concat(b, "x"))`, `a prefix concat(b, "x")`},
	{`any where startsWith(a, concat("x", "y"))`, `a prefix "xy"`},
	{`any where startsWith("", "")`, `true`},
	{`any where stringContains~(a, b)`, `a contains~ b`},
	{`any where stringContains("start regsvr32.exe", "regsvr32")`, `true`},
	{`any where startsWith(a, null)`, `false`},
	{`any where not startsWith(a, null)`, `false`},
	{`any where not startsWith(a, "x")`, `(not a prefix "x")`},
	{`any where not startsWith~(a, b)`, `(and a exists b exists (not a prefix~ b))`},
	{`any where not endsWith(string(a), string(b))`, `(and string(a) glob "*" string(b) glob "*" (not string(a) suffix string(b)))`},
	{`any where not startsWith("x", a)`, `(and a exists (not "x" prefix a))`},
	// indexOf.
	{`any where indexOf(a, ".") == 9`, `indexOf(a, ".") equal 9`},
	{`any where indexOf~(a, b, 2) > 0`, `indexOf~(a, b, 2) gt 0`},
	{`any where indexOf("subdomain.example.com", ".", 10) == 17`, `true`},
	{`any where indexOf("subdomain.example.com", "z") == null`, `true`},
	{`any where indexOf(a, ".", null) == null`, `(not indexOf(a, ".", null) glob "*")`},
	// length.
	{`any where length(a) > 3`, `length(a) gt 3`},
	{`any where LENGTH(a) > 3`, `length(a) gt 3`},
	{`any where length("explorer.exe") == 12`, `true`},
	{`any where length("") == 0`, `true`},
	{`any where length(null) == null`, `true`},
	{`any where length(concat(a, b)) < 10`, `length(concat(a, b)) lt 10`},
	{`process where length(a) > 3`, `(and event.category equal "process" length(a) gt 3)`},
	// number.
	{`any where number(a) > 1`, `number(a) gt 1`},
	{`any where number(a, 16) == 31`, `number(a, 16) equal 31`},
	{`any where number(a, null) > 1`, `number(a) gt 1`},
	{`any where number("1337") == 1337`, `true`},
	{`any where number("42.5") == 42.5`, `true`},
	{`any where number("deadbeef", 16) == 3735928559`, `true`},
	{`any where number("0xdeadbeef") == 3735928559`, `true`},
	{`any where number("0xdeadbeef", null) == 3735928559`, `true`},
	{`any where number("  -1337  ") == -1337`, `true`},
	// string.
	{`any where string(a) == "42"`, `string(a) equal "42"`},
	{`any where string(42) == "42" and string(42.5) == "42.5" and string(true) == "true"`, `(and true true true)`},
	{`any where string(null) == null`, `true`},
	// substring.
	{`any where substring(a, 6) == "x"`, `substring(a, 6) equal "x"`},
	{`any where substring(a, -4, -1) == ".ex"`, `substring(a, -4, -1) equal ".ex"`},
	{`any where substring("start regsvr32.exe", -4) == ".exe"`, `true`},
	{`any where substring("start regsvr32.exe", 6, 14) == "regsvr32"`, `true`},
	{`any where substring("a😀b", 1, 3) == "😀"`, `true`},
	// Comparisons of computed values and fields.
	{`any where a == b`, `a equal b`},
	{`any where a != b`, `(and a exists b exists (not a equal b))`},
	{`any where a < b`, `a lt b`},
	{`any where length(a) >= length(b)`, `length(a) ge length(b)`},
	{`any where 3 < length(a)`, `length(a) gt 3`},
	{`any where "x" == concat(a, b)`, `concat(a, b) equal "x"`},
	{`any where length(a) == null`, `(not length(a) glob "*")`},
	{`any where null != length(a)`, `length(a) glob "*"`},
	{`any where not length(a) > 3`, `(and length(a) glob "*" (not length(a) gt 3))`},
	{`any where not not length(a) > 3`, `(not (not length(a) gt 3))`},
	{`any where not not not a == b`, `(and a exists b exists (not a equal b))`},
	{`any where not (a == b or c == 1)`, `(not (or a equal b c equal 1))`},
	{`any where length(a) in (1, 2)`, `length(a) equal (1, 2)`},
	{`any where length(a) in~ ("x", b)`, `(or length(a) equal~ "x" length(a) equal~ b)`},
	{`any where length(a) not in (1, null)`, `false`},
	{`any where length(a) in (null)`, `false`},
	{`any where length(a) in (null, b)`, `length(a) equal b`},
	{`any where not length(a) in (null, b)`, `false`},
	{`any where a in (b, length(c))`, `(or a equal b a equal length(c))`},
	{`any where a not in ("x", b)`, `(and a exists b exists (not (or a equal "x" a equal b)))`},
	{`any where "x" in (a)`, `"x" equal a`},
	{`any where length(a) : 3`, `length(a) equal~ 3`},
	{`any where length(a) : ("1*", 3, null)`, `(or length(a) glob~ "1*" length(a) equal~ 3 (not length(a) glob "*"))`},
	{`any where not string(a) : "1*"`, `(and string(a) glob "*" (not string(a) glob~ "1*"))`},
	{`any where length(a) like "1*"`, `length(a) glob "1*"`},
	{`any where string(a) regex "[0-9]+"`, `string(a) regex "^(\?s:[0-9]+)$"`},
	{`any where length(a) < null`, `false`},
	// Constant comparisons.
	{`any where null == null`, `true`},
	{`any where null != null`, `false`},
	{`any where 1 == null`, `false`},
	{`any where 1 == 1.0`, `true`},
	{`any where 1 == "1"`, `false`},
	{`any where "b" > "a"`, `true`},
	{`any where true != false`, `true`},
	{`any where "x" in ("X", "y")`, `false`},
	{`any where "x" in~ ("X", "y")`, `true`},
	{`any where null in ("x")`, `false`},
	{`any where "x" not in ("y", null)`, `false`},
	{`any where null : "x"`, `false`},
	{`any where 1 : 1`, `true`},
	{`any where "abc" : "A*" and "abc" like "a?c" and "abc" regex~ "A.*"`, `(and true true true)`},
	// Conditions compared with true and false.
	{`any where (a == 1) == true`, `a equal 1`},
	{`any where (a == 1) != true`, `(not a equal 1)`},
	{`any where true == startsWith(a, "x")`, `a prefix "x"`},
	{`any where startsWith(a, "x") == false`, `(not a prefix "x")`},
	{`any where false != startsWith(a, b)`, `a prefix b`},
	{`any where startsWith(a, b) == false`, `(and a exists b exists (not a prefix b))`},
	{`any where not startsWith(a, b) == true`, `(and a exists b exists (not a prefix b))`},
}

func TestLower(t *testing.T) {
	for _, tt := range lowerTests {
		x, err := Parse("q.eql", tt.query)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.query, err)
			continue
		}
		if got := x.String(); got != tt.want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", tt.query, got, tt.want)
		}
	}
}

// lowerErrorTests pair a query with functions, arithmetic or computed
// operands that must fail with its exact error.
var lowerErrorTests = []struct {
	query, want string
}{
	// Argument types.
	{`any where length(1) > 0`, `q.eql:1:18: unexpected number 1 (expected a string)`},
	{`any where length(true) > 0`, `q.eql:1:18: unexpected true (expected a string)`},
	{`any where length(a + 1) > 0`, `q.eql:1:18: unexpected arithmetic expression (expected a string)`},
	{`any where add("a", 1) > 0`, `q.eql:1:15: unexpected string "a" (expected a number)`},
	{`any where add(1, "a") > 0`, `q.eql:1:18: unexpected string "a" (expected a number)`},
	{`any where subtract(a, true) > 0`, `q.eql:1:23: unexpected true (expected a number)`},
	{`any where multiply(concat(a), 2) > 0`, `q.eql:1:20: unexpected concat(…) (expected a number)`},
	{`any where a + "x" > 0`, `q.eql:1:15: unexpected string "x" (expected a number)`},
	{`any where "x" - a > 0`, `q.eql:1:11: unexpected string "x" (expected a number)`},
	{`any where -"x" < 0`, `q.eql:1:12: unexpected string "x" (expected a number)`},
	{`any where +true == 1`, `q.eql:1:12: unexpected true (expected a number)`},
	{`any where a * true > 0`, `q.eql:1:15: unexpected true (expected a number)`},
	{`any where number(1) > 0`, `q.eql:1:18: unexpected number 1 (expected a string)`},
	{`any where number(a, "16") > 0`, `q.eql:1:21: unexpected string "16" (expected a number)`},
	{`any where number(a, 1) > 0`, `q.eql:1:21: unexpected number 1 (expected a base from 2 to 36)`},
	{`any where number(a, 37) > 0`, `q.eql:1:21: unexpected number 37 (expected a base from 2 to 36)`},
	{`any where number(a, 2.5) > 0`, `q.eql:1:21: unexpected number 2.5 (expected a base from 2 to 36)`},
	{`any where number(a, b) > 0`, `q.eql:1:21: unexpected field b (expected a constant base)`},
	{`any where substring(a, 1.5) == ""`, `q.eql:1:24: unexpected number 1.5 (expected an integer)`},
	{`any where substring(a, 1, 2.0) == ""`, `q.eql:1:27: unexpected number 2.0 (expected an integer)`},
	{`any where substring(a, "1") == ""`, `q.eql:1:24: unexpected string "1" (expected a number)`},
	{`any where substring(1, 1) == ""`, `q.eql:1:21: unexpected number 1 (expected a string)`},
	{`any where indexOf(a, "x", 1.0) > 0`, `q.eql:1:27: unexpected number 1.0 (expected an integer)`},
	{`any where indexOf(a, 1) > 0`, `q.eql:1:22: unexpected number 1 (expected a string)`},
	{`any where between(a, 1, "x") == ""`, `q.eql:1:22: unexpected number 1 (expected a string)`},
	{`any where between(a, "x", "y", "z") == ""`, `q.eql:1:32: unexpected string "z" (expected a boolean)`},
	{`any where between(a, "x", "y", 1) == ""`, `q.eql:1:32: unexpected number 1 (expected a boolean)`},
	{`any where startsWith(a, 1)`, `q.eql:1:25: unexpected number 1 (expected a string)`},
	{`any where endsWith(1, a)`, `q.eql:1:20: unexpected number 1 (expected a string)`},
	{`any where stringContains(a, length(b))`, `q.eql:1:29: unexpected length(…) (expected a string)`},
	{`any where cidrMatch("1.2.3.4", "10.0.0.0/8")`, `q.eql:1:21: unexpected string "1.2.3.4" (expected a field)`},
	{`any where cidrMatch(concat(a), "10.0.0.0/8")`, `q.eql:1:21: unexpected concat(…) (expected a field)`},
	{`any where cidrMatch(a, b)`, `q.eql:1:24: unexpected field b (expected a constant)`},
	{`any where cidrMatch(a, 1)`, `q.eql:1:24: unexpected number 1 (expected a string)`},
	// Constants that Elasticsearch fails on.
	{`any where divide(1, 0) > 0`, `q.eql:1:11: division by zero`},
	{`any where modulo(1, 0) > 0`, `q.eql:1:11: division by zero`},
	{`any where 1 / 0 > 0`, `q.eql:1:13: division by zero`},
	{`any where 1 % 0.0 > 0`, `q.eql:1:13: division by zero`},
	{`any where a + 1 / 0 > 0`, `q.eql:1:17: division by zero`},
	{`any where number("abc") > 0`, `q.eql:1:11: cannot convert "abc" to a number in base 10`},
	{`any where number("12", 2) > 0`, `q.eql:1:11: cannot convert "12" to a number in base 2`},
	{`any where number("", 16) > 0`, `q.eql:1:11: cannot convert "" to a number in base 16`},
	// Argument counts, names.
	{`any where length(a, b) > 0`, `q.eql:1:11: length takes a string (found 2 arguments)`},
	{`any where length() > 0`, `q.eql:1:11: length takes a string (found 0 arguments)`},
	{`any where concat() == ""`, `q.eql:1:11: concat takes one or more values (found 0 arguments)`},
	{`any where add(1) > 0`, `q.eql:1:11: add takes two numbers (found 1 argument)`},
	{`any where add(1, 2, 3) > 0`, `q.eql:1:11: add takes two numbers (found 3 arguments)`},
	{`any where substring(a) == ""`, `q.eql:1:11: substring takes a string and one or two numbers (found 1 argument)`},
	{`any where between(a, "b") == ""`, `q.eql:1:11: between takes three strings and an optional boolean (found 2 arguments)`},
	{`any where number() > 0`, `q.eql:1:11: number takes a string and an optional base (found 0 arguments)`},
	{`any where string(a, b) == ""`, `q.eql:1:11: string takes a value (found 2 arguments)`},
	{`any where indexOf(a, "b", 1, 2) > 0`, `q.eql:1:11: indexOf takes two strings and an optional number (found 4 arguments)`},
	{`any where length~(a) > 0`, `q.eql:1:11: unexpected "length~" (length has no case-insensitive form)`},
	{`any where add~(a, 1) > 0`, `q.eql:1:11: unexpected "add~" (add has no case-insensitive form)`},
	{`any where concat~(a) == ""`, `q.eql:1:11: unexpected "concat~" (concat has no case-insensitive form)`},
	{`any where substring~(a, 1) == ""`, `q.eql:1:11: unexpected "substring~" (substring has no case-insensitive form)`},
	{`any where foo(a)`, `q.eql:1:11: unknown function foo`},
	{`any where wildcard(a, "x*")`, `q.eql:1:11: unknown function wildcard`},
	// Values where a condition is expected, conditions where a value is.
	{`any where length(a)`, `q.eql:1:11: unexpected length(…) (expected a condition)`},
	{`any where a + 1`, `q.eql:1:11: unexpected arithmetic expression (expected a condition)`},
	{`any where concat(a, "b")`, `q.eql:1:11: unexpected concat(…) (expected a condition)`},
	{`any where startsWith(a, "x") < true`, `q.eql:1:11: unsupported: startsWith(…) as an operand of <`},
	{`any where startsWith(a, "x") == "x"`, `q.eql:1:11: unsupported: startsWith(…) as an operand of ==`},
	{`any where startsWith(a, "x") == startsWith(b, "y")`, `q.eql:1:11: unsupported: startsWith(…) as an operand of ==`},
	{`any where (a == 1) == null`, `q.eql:1:11: unsupported: condition as an operand of ==`},
	{`any where concat(startsWith(a, "x")) == ""`, `q.eql:1:18: unsupported: startsWith(…) as an argument of concat`},
	{`any where string(a == 1) == ""`, `q.eql:1:18: unsupported: condition as an argument of string`},
	{`any where length(startsWith(a, "x")) == 1`, `q.eql:1:18: unsupported: startsWith(…) as an argument of length`},
	{`any where startsWith(a, "x") + 1 == 1`, `q.eql:1:11: unsupported: startsWith(…) as an operand of +`},
	{`any where (a == 1) in (true)`, `q.eql:1:11: unsupported: condition as an operand of in`},
	{`any where startsWith(a, "x") : "x"`, `q.eql:1:11: unsupported: startsWith(…) as an operand of :`},
	{`any where startsWith(a, "x") like "x"`, `q.eql:1:11: unsupported: startsWith(…) as an operand of like`},
	// Operands of :, like and regex, and of ordering comparisons.
	{`any where concat(a, b) : c`, `q.eql:1:26: unexpected field c (expected a constant)`},
	{`any where length(a) like 1`, `q.eql:1:26: unexpected number 1 (expected a string)`},
	{`any where length(a) < true`, `q.eql:1:23: unexpected true (expected a number or a string)`},
	{`any where false > length(a)`, `q.eql:1:11: unexpected false (expected a number or a string)`},
}

func TestLowerErrors(t *testing.T) { testErrors(t, lowerErrorTests) }
