#include "attrdb/expression.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <string>

#include "base/error.h"

using confluent::Error;
using confluent::ErrorKind;
using confluent::attrdb::AttributeLookup;
using confluent::attrdb::classify_value;
using confluent::attrdb::Expression;
using confluent::attrdb::ExpressionError;
using confluent::attrdb::format_int;
using confluent::attrdb::format_string;

namespace {

using Attributes = std::map<std::string, std::string, std::less<>>;

// The spec's example node: what the attribute database's lookup would answer for it.
const Attributes kExampleAttributes = {
    {"location.rack", "7"},
    {"location.room", ""},
    {"bmc", "10.0.0.5"},
    {"bmcpass", ""},
    {"secret.hardwaremanagementpassword", ""},
    {"hardwaremanagement.method", "redfish"},
    {"net.mgt.switch", "sw1"},
};

// Behaves like the database's lookup: known names give their value ("" when unset),
// custom.* is always valid, and anything else is rejected with the schema's message.
AttributeLookup lookup_in(const Attributes& attributes) {
  return [&attributes](std::string_view name) -> std::string {
    if (auto it = attributes.find(name); it != attributes.end()) return it->second;
    if (name.substr(0, 7) == "custom.") return "";
    throw ExpressionError(std::string(name) + " is not a valid attribute name");
  };
}

std::string eval(std::string_view text, std::string_view node = "n12",
                 const Attributes& attributes = kExampleAttributes) {
  return Expression(text).evaluate(node, lookup_in(attributes));
}

// The text shown after "BROKEN EXPRESSION: ", or a marker when evaluation succeeds.
std::string broken(std::string_view text, std::string_view node = "n12",
                   const Attributes& attributes = kExampleAttributes) {
  try {
    return "not broken: " + eval(text, node, attributes);
  } catch (const ExpressionError& error) {
    return error.what();
  }
}

// The message of the input error classify_value() throws, which must be ErrorKind::Invalid.
std::string rejected(std::string_view typed) {
  try {
    classify_value(typed);
  } catch (const Error& error) {
    REQUIRE(error.kind() == ErrorKind::Invalid);
    return error.what();
  }
  return "accepted";
}

std::string format_error(long long value, std::string_view spec) {
  try {
    return "formatted: " + format_int(value, spec);
  } catch (const ExpressionError& error) {
    return error.what();
  }
}

std::string format_error(std::string_view value, std::string_view spec) {
  try {
    return "formatted: " + format_string(value, spec);
  } catch (const ExpressionError& error) {
    return error.what();
  }
}

}  // namespace

// The executed examples of the spec's expression table, row by row.

TEST_CASE("expression: {node} and {nodename} give the node name", "[expression]") {
  REQUIRE(eval("{node}") == "n12");
  REQUIRE(eval("{nodename}") == "n12");
}

TEST_CASE("expression: {n1} is the first number in the node name", "[expression]") { REQUIRE(eval("{n1}") == "12"); }

TEST_CASE("expression: n1 to n4 count digit runs from the left and n0 is the last", "[expression]") {
  REQUIRE(eval("{n1}.{n2}.{n3}.{n4} last={n0}", "b1o2r3u4") == "1.2.3.4 last=4");
}

TEST_CASE("expression: n1 takes part in addition, subtraction and multiplication", "[expression]") {
  REQUIRE(eval("{n1+1}") == "13");
  REQUIRE(eval("{n1-1}") == "11");
  REQUIRE(eval("{n1*2}") == "24");
}

TEST_CASE("expression: (n1-1)/42+1 on n100 is 3 because / is floor division", "[expression]") {
  REQUIRE(eval("{(n1-1)/42+1}", "n100") == "3");
}

TEST_CASE("expression: (n1-1)%42+1 on n100 is 16", "[expression]") { REQUIRE(eval("{(n1-1)%42+1}", "n100") == "16"); }

TEST_CASE("expression: {n1:02x} formats the first number in hex", "[expression]") {
  REQUIRE(eval("{n1:02x}") == "0c");
  REQUIRE(eval("{n1:x}") == "c");
  REQUIRE(eval("{n1:X}", "n255") == "FF");
  REQUIRE(eval("{n1:03d}", "n5") == "005");
}

TEST_CASE("expression: shifts, bitwise operators and negation work on n1", "[expression]") {
  REQUIRE(eval("{n1<<8}") == "3072");
  REQUIRE(eval("{n1|1}") == "13");
  REQUIRE(eval("{n1&8}") == "8");
  REQUIRE(eval("{n1^1}") == "13");
  REQUIRE(eval("{n1>>1}") == "6");
  REQUIRE(eval("{-n1}") == "-12");
}

TEST_CASE("expression: ** is an unsupported operation", "[expression]") {
  REQUIRE(broken("{n1**2}") == "Unsupported operation");
}

TEST_CASE("expression: a number the node name does not have is a list index out of range", "[expression]") {
  REQUIRE(broken("{n2}", "n12") == "list index out of range");
  REQUIRE(broken("{n1}", "node") == "list index out of range");
}

TEST_CASE("expression: literal text after a field is copied", "[expression]") {
  REQUIRE(eval("{node}-imm") == "n12-imm");
}

TEST_CASE("expression: dotted names and aliases are looked up as attributes", "[expression]") {
  REQUIRE(eval("{location.rack}") == "7");
  REQUIRE(eval("{bmc}") == "10.0.0.5");
  REQUIRE(eval("{net.mgt.switch}") == "sw1");
}

TEST_CASE("expression: unset attributes give an empty string", "[expression]") {
  REQUIRE(eval("{custom.missing}") == "");
  REQUIRE(eval("{location.room}") == "");
}

TEST_CASE("expression: an unknown attribute name breaks the expression", "[expression]") {
  REQUIRE(broken("{bogus.attr}") == "bogus.attr is not a valid attribute name");
}

TEST_CASE("expression: secrets give an empty string", "[expression]") {
  REQUIRE(eval("{bmcpass}") == "");
  REQUIRE(eval("{secret.hardwaremanagementpassword}") == "");
}

TEST_CASE("expression: upper() and replace() work on the node name", "[expression]") {
  REQUIRE(eval("{node.upper()}") == "N12");
  REQUIRE(eval("{node.replace('n','node')}") == "node12");
}

TEST_CASE("expression: block_number and block_offset split n1 into blocks", "[expression]") {
  REQUIRE(eval("{n1.block_number(42)}", "n100") == "3");
  REQUIRE(eval("{n1.block_offset(42)}", "n100") == "16");
}

TEST_CASE("expression: a slice takes part of the node name", "[expression]") {
  REQUIRE(eval("{node[0:6]}", "rack01node05") == "rack01");
}

TEST_CASE("expression: a field that reads as an integer is coerced and loses its zero padding", "[expression]") {
  REQUIRE(eval("{node[-2:]}", "rack01node05") == "5");
  REQUIRE(eval("{node[-2:]:02d}", "rack01node05") == "05");
}

TEST_CASE("expression: an address is built from n1/255 and n1%255", "[expression]") {
  REQUIRE(eval("172.30.{n1/255}.{n1%255}", "n300") == "172.30.1.45");
}

TEST_CASE("expression: rack{n1}-u{n2:02d} formats each field on its own", "[expression]") {
  REQUIRE(eval("rack{n1}-u{n2:02d}", "r2u10") == "rack2-u10");
}

TEST_CASE("expression: doubled braces are literal braces", "[expression]") {
  REQUIRE(classify_value("{{literal}}").text == "{literal}");
  REQUIRE(eval("{{literal}}") == "{literal}");
  REQUIRE(eval("{{{node}}}") == "{n12}");
}

TEST_CASE("expression: division by zero breaks the expression", "[expression]") {
  REQUIRE(broken("{n1/0}") == "integer division or modulo by zero");
  REQUIRE(broken("{n1%0}") == "integer division or modulo by zero");
  REQUIRE(broken("{n1.block_number(0)}") == "integer division or modulo by zero");
}

TEST_CASE("expression: a leading space is a syntax error but inner spaces are fine", "[expression]") {
  REQUIRE(broken("{ node }") == "unexpected indent (<unknown>, line 1)");
  REQUIRE(eval("{n1 + 1}") == "13");
  REQUIRE(eval("{n1 }") == "12");
}

// Python semantics beyond the table.

TEST_CASE("expression: / and % round toward negative infinity as in Python", "[expression]") {
  REQUIRE(eval("{-7/2}") == "-4");
  REQUIRE(eval("{7/-2}") == "-4");
  REQUIRE(eval("{-7%2}") == "1");
  REQUIRE(eval("{7%-2}") == "-1");
  REQUIRE(eval("{-7%-2}") == "-1");
  REQUIRE(eval("{(0-n1)/5}") == "-3");
  REQUIRE(eval("{-7>>1}") == "-4");
}

TEST_CASE("expression: operators bind as tightly as in Python", "[expression]") {
  REQUIRE(eval("{1+2*3}") == "7");
  REQUIRE(eval("{(1+2)*3}") == "9");
  REQUIRE(eval("{2+3<<1}") == "10");
  REQUIRE(eval("{1<<2+1}") == "8");
  REQUIRE(eval("{1|6&3}") == "3");
  REQUIRE(eval("{5^3|8}") == "14");
  REQUIRE(eval("{7-2-1}") == "4");
  REQUIRE(eval("{100/7/2}") == "7");
  REQUIRE(eval("{-2*3}") == "-6");
}

TEST_CASE("expression: operators Python has but confluent refuses are unsupported", "[expression]") {
  for (const char* text :
       {"{n1//2}", "{~n1}", "{+n1}", "{n1<2}", "{n1==12}", "{n1 and 1}", "{not n1}", "{node[1::2]}", "{upper(node)}"}) {
    INFO(text);
    REQUIRE(broken(text) == "Unsupported operation");
  }
}

TEST_CASE("expression: arithmetic converts attribute values with int()", "[expression]") {
  REQUIRE(eval("{location.rack*2}") == "14");
  REQUIRE(eval("{location.rack+n1}") == "19");
  REQUIRE(broken("{hardwaremanagement.method+1}") == "invalid literal for int() with base 10: 'redfish'");
  REQUIRE(broken("{custom.missing+1}") == "invalid literal for int() with base 10: ''");
  REQUIRE(broken("{custom.q+1}", "n12", {{"custom.q", "it's"}}) == "invalid literal for int() with base 10: \"it's\"");
}

TEST_CASE("expression: methods apply to dotted attribute names and chain", "[expression]") {
  REQUIRE(eval("{hardwaremanagement.method.upper()}") == "REDFISH");
  REQUIRE(eval("{node.upper().lower()}") == "n12");
  REQUIRE(eval("{location.rack.block_number(4)}") == "2");
  REQUIRE(eval("{node[1:].replace('1','one')}") == "one2");
  REQUIRE(eval("{node.replace('','-')}") == "-n-1-2-");
}

TEST_CASE("expression: methods check their operand types as Python does", "[expression]") {
  REQUIRE(broken("{n1.upper()}") == "'int' object has no attribute 'upper'");
  REQUIRE(broken("{node.replace(1,'x')}") == "replace() argument 1 must be str, not int");
  REQUIRE(broken("{node.title()}") == "unsupported method 'title'");
  REQUIRE(broken("{node.upper(1)}") == "upper() takes no arguments (1 given)");
  REQUIRE(broken("{node.replace('n')}") == "replace() takes exactly two arguments (1 given)");
}

TEST_CASE("expression: indexing and slicing follow Python, negatives included", "[expression]") {
  REQUIRE(eval("{node[0]}", "rack01node05") == "r");
  REQUIRE(eval("{node[-1]}", "rack01node05") == "5");
  REQUIRE(eval("{node[2:-6]}", "rack01node05") == "ck01");
  REQUIRE(eval("{node[:4]}", "rack01node05") == "rack");
  REQUIRE(eval("{node[-100:100]}", "n12") == "n12");
  REQUIRE(eval("{node[2:1]}", "n12") == "");
  REQUIRE(eval("{node[n1-11]}") == "1");
  REQUIRE(broken("{node[3]}") == "string index out of range");
  REQUIRE(broken("{node[-4]}") == "string index out of range");
  REQUIRE(broken("{n1[0]}") == "'int' object is not subscriptable");
  REQUIRE(broken("{node['a']}") == "string indices must be integers, not 'str'");
  REQUIRE(broken("{node[location.rack:]}") == "slice indices must be integers or None or have an __index__ method");
}

TEST_CASE("expression: strings are indexed and padded by character, not byte", "[expression]") {
  const Attributes attributes = {{"custom.x", "h\xc3\xa9llo"}};
  REQUIRE(eval("{custom.x[1]}", "n1", attributes) == "\xc3\xa9");
  REQUIRE(eval("{custom.x[-4:3]}", "n1", attributes) == "\xc3\xa9l");
  REQUIRE(eval("{custom.x:>6}", "n1", attributes) == " h\xc3\xa9llo");
  REQUIRE(eval("{custom.x:.2}", "n1", attributes) == "h\xc3\xa9");
}

TEST_CASE("expression: integer and string constants are Python literals", "[expression]") {
  REQUIRE(eval("{0x10+n1}") == "28");
  REQUIRE(eval("{0b11} {0o17} {1_000}") == "3 15 1000");
  REQUIRE(eval("{'abc'}") == "abc");
  REQUIRE(eval("{\"x\".upper()}") == "X");
  REQUIRE(eval("{'a' 'b'}") == "ab");
  REQUIRE(eval("{'tab\\there'}") == "tab\there");
  REQUIRE(eval("{'007'}") == "7");
  REQUIRE(broken("{012}") == "invalid syntax (<unknown>, line 1)");
  REQUIRE(broken("{1.5}") == "invalid syntax (<unknown>, line 1)");
  REQUIRE(broken("{'open}") == "invalid syntax (<unknown>, line 1)");
}

TEST_CASE("expression: malformed fields are syntax errors", "[expression]") {
  for (const char* text : {"{n1 +}", "{(n1}", "{n1)}", "{n1 n2}", "{node[]}", "{node.}", "{n1;2}", "{a=1}"}) {
    INFO(text);
    REQUIRE(broken(text) == "invalid syntax (<unknown>, line 1)");
  }
  REQUIRE(broken("{ }") == "list index out of range");
  REQUIRE(broken("{n}") == "invalid literal for int() with base 10: ''");
}

TEST_CASE("expression: the attribute lookup's own error propagates", "[expression]") {
  const AttributeLookup failing = [](std::string_view name) -> std::string {
    throw ExpressionError("no such attribute: " + std::string(name));
  };
  REQUIRE_THROWS_WITH(Expression("{bmc}").evaluate("n1", failing), "no such attribute: bmc");
  REQUIRE_THROWS_WITH(Expression("{bmc}").evaluate("n1", AttributeLookup()), "bmc is not a valid attribute name");
}

TEST_CASE("expression: the first failing field decides the error", "[expression]") {
  REQUIRE(broken("{n5}{bogus.attr}") == "list index out of range");
  REQUIRE(broken("{node}{n1**2}{n5}") == "Unsupported operation");
  REQUIRE(broken("{n5}{n1:>>>>>>>>>>9}") == "list index out of range");
}

TEST_CASE("expression: integer overflow beyond 64 bits breaks instead of wrapping", "[expression]") {
  REQUIRE(broken("{n1*9223372036854775807}") == "integer value out of range");
  REQUIRE(broken("{n1<<60}") == "integer value out of range");
  REQUIRE(broken("{n1<<-1}") == "negative shift count");
  REQUIRE(eval("{n1>>100}") == "0");
}

TEST_CASE("expression: numeric text too long for 64 bits still prints as Python's int", "[expression]") {
  const Attributes attributes = {{"custom.serial", "000123456789012345678901234"}};
  REQUIRE(eval("{custom.serial}", "n1", attributes) == "123456789012345678901234");
  REQUIRE(eval("{custom.serial:,}", "n1", attributes) == "123,456,789,012,345,678,901,234");
  REQUIRE(broken("{custom.serial+1}", "n1", attributes) == "integer value out of range");
}

TEST_CASE("expression: empty fields are numbered like str.format arguments", "[expression]") {
  REQUIRE(eval("{}{}") == "01");
  REQUIRE(eval("{0}") == "0");
  REQUIRE(eval("{:03}") == "000");
}

TEST_CASE("expression: !s keeps the field and !r makes it a string constant", "[expression]") {
  REQUIRE(eval("{n1!s:03}") == "012");
  REQUIRE(eval("{n1!r}") == "n1");
  REQUIRE(broken("{n1!x}") == "Unknown conversion specifier x");
}

TEST_CASE("expression: a malformed template breaks where str.format would fail", "[expression]") {
  REQUIRE(broken("a}b") == "Single '}' encountered in format string");
  REQUIRE(broken("a{") == "Single '{' encountered in format string");
  REQUIRE(broken("a{b") == "expected '}' before end of string");
  REQUIRE(broken("{a{b}}") == "unexpected '{' in field name");
  REQUIRE(broken("{n1:{n2}}") == "nested replacement fields in a format specification are not supported");
  REQUIRE(broken("{n5}}") == "list index out of range");
}

TEST_CASE("expression: a format spec over 8 characters breaks at evaluation too", "[expression]") {
  REQUIRE(broken("{n1:>>>>>>>>>10}") == "format specification '>>>>>>>>>10' exceeds the maximum supported length of 8");
}

TEST_CASE("expression: a formatted field over 16384 characters breaks", "[expression]") {
  REQUIRE(broken("{n1:16385}") == "formatted value exceeds the maximum supported length of 16384");
  REQUIRE(eval("{n1:16384}").size() == 16384);
  const Attributes attributes = {{"custom.big", std::string(16385, 'x')}};
  REQUIRE(broken("{custom.big}", "n1", attributes) == "formatted value exceeds the maximum supported length of 16384");
}

TEST_CASE("expression: absurd nesting is refused instead of exhausting the stack", "[expression]") {
  const std::string parens = "{" + std::string(300, '(') + "n1" + std::string(300, ')') + "}";
  REQUIRE(broken(parens) == "too many nested parentheses (<unknown>, line 1)");
  std::string chain = "{n1";
  for (int i = 0; i < 2000; ++i) chain += "+1";
  REQUIRE(broken(chain + "}") == "maximum recursion depth exceeded");
  REQUIRE(eval("{" + std::string(150, '(') + "n1" + std::string(150, ')') + "}") == "12");
}

TEST_CASE("expression: one compiled expression serves many nodes and keeps its text", "[expression]") {
  Expression expression("{node}-xcc/{n1:03}");
  const AttributeLookup lookup = lookup_in(kExampleAttributes);
  REQUIRE(expression.evaluate("n1", lookup) == "n1-xcc/001");
  REQUIRE(expression.evaluate("n250", lookup) == "n250-xcc/250");
  Expression moved = std::move(expression);
  REQUIRE(moved.text() == "{node}-xcc/{n1:03}");
  REQUIRE(moved.evaluate("n7", lookup) == "n7-xcc/007");
}

TEST_CASE("expression: evaluating 20000 times takes milliseconds", "[expression][timing]") {
  const Expression name("{node}-xcc");
  const Expression address("172.30.{n1/255}.{n1%255}");
  const AttributeLookup lookup = lookup_in(kExampleAttributes);
  std::size_t total = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10000; ++i) {
    const std::string node = "n" + std::to_string(i);
    total += name.evaluate(node, lookup).size() + address.evaluate(node, lookup).size();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(total > 0);
  // Generous enough for a loaded machine or a sanitizer build; a regression to re-parsing is not.
  REQUIRE(elapsed < std::chrono::milliseconds(500));
}

// classify_value: what a typed value is stored as.

TEST_CASE("classify: a value with a field is an expression stored as typed", "[expression]") {
  const auto typed = classify_value("{node}-xcc {{x}}");
  REQUIRE(typed.is_expression);
  REQUIRE(typed.text == "{node}-xcc {{x}}");
  REQUIRE(classify_value("{}").is_expression);
  REQUIRE(classify_value("{ node }").is_expression);
}

TEST_CASE("classify: a value without fields is a literal with doubled braces unescaped", "[expression]") {
  const auto typed = classify_value("a{{b}}c");
  REQUIRE_FALSE(typed.is_expression);
  REQUIRE(typed.text == "a{b}c");
  REQUIRE(classify_value("").text.empty());
  REQUIRE(classify_value("plain").text == "plain");
}

TEST_CASE("classify: unbalanced braces are rejected", "[expression]") {
  REQUIRE(rejected("a{b") == "unbalanced braces in value 'a{b'");
  REQUIRE(rejected("a}b") == "unbalanced braces in value 'a}b'");
  REQUIRE(rejected("{") == "unbalanced braces in value '{'");
  REQUIRE(rejected("{a{b}}") == "unbalanced braces in value '{a{b}}'");
  REQUIRE(rejected("{n1:{n2}}") == "unbalanced braces in value '{n1:{n2}}'");
  REQUIRE(rejected("{node}}") == "unbalanced braces in value '{node}}'");
}

TEST_CASE("classify: a format spec longer than 8 characters is rejected", "[expression]") {
  REQUIRE(rejected("{n1:>>>>>>>>>10}") ==
          "format specification '>>>>>>>>>10' exceeds the maximum supported length of 8");
  REQUIRE(classify_value("{n1:>>>>>>10}").is_expression);
}

TEST_CASE("classify: a colon inside brackets is a slice, not the format separator", "[expression]") {
  REQUIRE(classify_value("{node[0:123456789]}").is_expression);
  REQUIRE(rejected("{node[0:1]:123456789}") ==
          "format specification '123456789' exceeds the maximum supported length of 8");
}

TEST_CASE("classify: a malformed conversion is rejected with str.format's reason", "[expression]") {
  REQUIRE(rejected("{n1!rx}") == "expected ':' after conversion specifier in value '{n1!rx}'");
}

// format_int and format_string: Python's format mini-language.

TEST_CASE("format: integer specs match Python's format()", "[expression]") {
  REQUIRE(format_int(12, "02x") == "0c");
  REQUIRE(format_int(255, "X") == "FF");
  REQUIRE(format_int(5, "03d") == "005");
  REQUIRE(format_int(12, ">6") == "    12");
  REQUIRE(format_int(5, "08b") == "00000101");
  REQUIRE(format_int(255, "#x") == "0xff");
  REQUIRE(format_int(12, "+d") == "+12");
  REQUIRE(format_int(12, "<5") == "12   ");
  REQUIRE(format_int(12, "^7") == "  12   ");
  REQUIRE(format_int(1234567, ",") == "1,234,567");
  REQUIRE(format_int(12, "") == "12");
}

TEST_CASE("format: signs, prefixes and zero padding combine as in Python", "[expression]") {
  REQUIRE(format_int(-12, "05") == "-0012");
  REQUIRE(format_int(-5, "+06d") == "-00005");
  REQUIRE(format_int(12, " d") == " 12");
  REQUIRE(format_int(-12, "=5") == "-  12");
  REQUIRE(format_int(-255, "#X") == "-0XFF");
  REQUIRE(format_int(255, "#010x") == "0x000000ff");
  REQUIRE(format_int(42, "#o") == "0o52");
  REQUIRE(format_int(5, "x<5") == "5xxxx");
  REQUIRE(format_int(5, "*^5") == "**5**");
}

TEST_CASE("format: grouping separates thousands, and hex digits by four", "[expression]") {
  REQUIRE(format_int(1234567, "_") == "1_234_567");
  REQUIRE(format_int(1234567, "_x") == "12_d687");
  REQUIRE(format_int(1234, "010,") == "00,001,234");
  REQUIRE(format_int(1234, "08,") == "0,001,234");
  REQUIRE(format_int(-1234, "010,") == "-0,001,234");
}

TEST_CASE("format: c, n and the float types apply to integers as in Python", "[expression]") {
  REQUIRE(format_int(65, "c") == "A");
  REQUIRE(format_int(65, "^5c") == "  A  ");
  REQUIRE(format_int(0xE9, "c") == "\xc3\xa9");
  REQUIRE(format_int(1234567, "n") == "1234567");
  REQUIRE(format_int(12, "f") == "12.000000");
  REQUIRE(format_int(12, ".2f") == "12.00");
  REQUIRE(format_int(12, "%") == "1200.000000%");
  REQUIRE(format_int(12, "e") == "1.200000e+01");
  REQUIRE(format_int(12, "g") == "12");
  REQUIRE(format_int(12, "#g") == "12.0000");
  REQUIRE(format_int(1234567, ",.2f") == "1,234,567.00");
}

TEST_CASE("format: string specs align, pad and truncate", "[expression]") {
  REQUIRE(format_string("ab", ">6") == "    ab");
  REQUIRE(format_string("ab", "^5") == " ab  ");
  REQUIRE(format_string("ab", "<5") == "ab   ");
  REQUIRE(format_string("abcdef", ".3") == "abc");
  REQUIRE(format_string("abcdef", "5.3") == "abc  ");
  REQUIRE(format_string("ab", "05") == "ab000");
  REQUIRE(format_string("ab", "s") == "ab");
  REQUIRE(format_string("ab", "\xc2\xb7>4") ==
          "\xc2\xb7\xc2\xb7"
          "ab");
}

TEST_CASE("format: specs that do not apply fail with Python's message", "[expression]") {
  REQUIRE(format_error("abc", "d") == "Unknown format code 'd' for object of type 'str'");
  REQUIRE(format_error(12, "s") == "Unknown format code 's' for object of type 'int'");
  REQUIRE(format_error(12, ".2") == "Precision not allowed in integer format specifier");
  REQUIRE(format_error("a", "+") == "Sign not allowed in string format specifier");
  REQUIRE(format_error("a", "#") == "Alternate form (#) not allowed in string format specifier");
  REQUIRE(format_error("a", "=5") == "'=' alignment not allowed in string format specifier");
  REQUIRE(format_error("a", ",") == "Cannot specify ',' with 's'.");
  REQUIRE(format_error(12, ",x") == "Cannot specify ',' with 'x'.");
  REQUIRE(format_error(12, ",_") == "Cannot specify both ',' and '_'.");
  REQUIRE(format_error(12, "abc") == "Invalid format specifier 'abc' for object of type 'int'");
  REQUIRE(format_error(12, ".") == "Format specifier missing precision");
  REQUIRE(format_error(12, "+c") == "Sign not allowed with integer format specifier 'c'");
  REQUIRE(format_error(-1, "c") == "%c arg not in range(0x110000)");
}

TEST_CASE("expression: a spec that does not apply to the field's value breaks it", "[expression]") {
  REQUIRE(broken("{node:d}") == "Unknown format code 'd' for object of type 'str'");
  REQUIRE(broken("{n1:.2}") == "Precision not allowed in integer format specifier");
  REQUIRE(eval("{node:>6}") == "   n12");
}
