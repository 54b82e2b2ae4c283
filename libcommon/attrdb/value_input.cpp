// Reading what the user typed: whether a value is an expression, and each field's restricted
// Python expression, parsed to the node array in expression_ast.h.
#include <algorithm>
#include <climits>
#include <iterator>

#include "attrdb/expression.h"
#include "attrdb/expression_ast.h"
#include "base/error.h"

namespace confluent::attrdb {
namespace detail {
namespace {

constexpr int kMaxNesting = 200;     // CPython's parser refuses deeper parentheses
constexpr int kMaxTreeDepth = 1000;  // and its evaluator would hit the recursion limit

[[noreturn]] void syntax_error() { throw ExpressionError("invalid syntax (<unknown>, line 1)"); }
[[noreturn]] void unsupported() { throw ExpressionError("Unsupported operation"); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

int digit_value(char c) {
  const auto lower = static_cast<char>(c | 0x20);
  if (is_digit(c)) return c - '0';
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : 99;
}

enum class TokenKind { End, Name, Int, Str, Op, Unsupported };

struct Token {
  Token() = default;
  Token(TokenKind token_kind, std::string_view token_text, long long token_number = 0)
      : kind(token_kind), text(token_text), number(token_number) {}

  TokenKind kind = TokenKind::End;
  std::string_view text;
  long long number = 0;
  std::string value;  // a string constant with its escapes resolved
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  Token next();
  std::size_t position() const { return pos_; }
  void rewind(std::size_t pos) { pos_ = pos; }

 private:
  Token lex_name();
  Token lex_number();
  Token lex_string();
  void lex_escape(std::string& value);
  Token lex_operator();

  std::string_view text_;
  std::size_t pos_ = 0;
};

Token Lexer::next() {
  pos_ = std::min(text_.find_first_not_of(" \t", pos_), text_.size());
  if (pos_ == text_.size() || text_[pos_] == '#') return Token();  // '#' starts a comment
  const char c = text_[pos_];
  if (is_name_start(c)) return lex_name();
  if (is_digit(c)) return lex_number();
  if (c == '\'' || c == '"') return lex_string();
  return lex_operator();
}

Token Lexer::lex_name() {
  static constexpr std::string_view kKeywordOperators[] = {"and", "or", "not", "in", "is", "if", "else", "lambda"};
  const std::size_t start = pos_;
  while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
  const std::string_view name = text_.substr(start, pos_ - start);
  const bool keyword =
      std::find(std::begin(kKeywordOperators), std::end(kKeywordOperators), name) != std::end(kKeywordOperators);
  return Token(keyword ? TokenKind::Unsupported : TokenKind::Name, name);
}

// Python integer literals: 0x, 0o and 0b prefixes, single underscores between digits.
Token Lexer::lex_number() {
  const std::size_t start = pos_;
  const auto marker = static_cast<char>(pos_ + 1 < text_.size() ? text_[pos_ + 1] | 0x20 : 0);
  const int base = text_[pos_] != '0' ? 10 : marker == 'x' ? 16 : marker == 'o' ? 8 : marker == 'b' ? 2 : 10;
  pos_ += base == 10 ? 0 : 2;
  unsigned long long value = 0;
  std::size_t digits = 0;
  for (;; ++digits, ++pos_) {
    const bool separator = pos_ < text_.size() && text_[pos_] == '_' && (digits > 0 || base != 10);
    pos_ += separator ? 1 : 0;
    const int digit = pos_ < text_.size() ? digit_value(text_[pos_]) : 99;
    if (digit >= base && separator) syntax_error();
    if (digit >= base) break;
    value = value * static_cast<unsigned>(base) + static_cast<unsigned>(digit);
    if (value > static_cast<unsigned long long>(LLONG_MAX)) throw ExpressionError("integer value out of range");
  }
  const bool leading_zero = base == 10 && text_[start] == '0' && value != 0;
  const bool glued = pos_ < text_.size() && (is_name_char(text_[pos_]) || text_[pos_] == '.');
  if (digits == 0 || leading_zero || glued) syntax_error();  // also rejects floats
  return Token(TokenKind::Int, text_.substr(start, pos_ - start), static_cast<long long>(value));
}

Token Lexer::lex_string() {
  const char quote = text_[pos_++];
  Token token(TokenKind::Str, {});
  while (pos_ < text_.size() && text_[pos_] != quote) {
    if (text_[pos_++] != '\\' || pos_ == text_.size()) {
      token.value += text_[pos_ - 1];
    } else {
      lex_escape(token.value);
    }
  }
  if (pos_++ >= text_.size()) syntax_error();
  return token;
}

// pos_ is on the character after the backslash.
void Lexer::lex_escape(std::string& value) {
  static constexpr std::string_view kSimple = "\\\\''\"\"n\nt\tr\ra\ab\bf\fv\v";
  const char c = text_[pos_++];
  for (std::size_t i = 0; i < kSimple.size(); i += 2) {
    if (kSimple[i] != c) continue;
    value += kSimple[i + 1];
    return;
  }
  const int base = c == 'x' ? 16 : (c >= '0' && c <= '7') ? 8 : 0;
  if (base == 0) {  // Python keeps unknown escapes as typed
    value.append({'\\', c});
    return;
  }
  std::size_t digits = base == 8 ? 1 : 0;
  auto code_point = static_cast<char32_t>(base == 8 ? c - '0' : 0);
  for (; digits < (base == 16 ? 2U : 3U) && pos_ < text_.size() && digit_value(text_[pos_]) < base; ++digits) {
    code_point = code_point * static_cast<char32_t>(base) + static_cast<char32_t>(digit_value(text_[pos_++]));
  }
  if (digits < (base == 16 ? 2U : 1U)) syntax_error();
  append_utf8(value, code_point);
}

Token Lexer::lex_operator() {
  static constexpr std::string_view kPairs[] = {"<<", ">>", "**", "//", "<=", ">=", "==", "!="};
  for (std::string_view pair : kPairs) {
    if (text_.substr(pos_, 2) != pair) continue;
    pos_ += 2;
    return Token(pair == "<<" || pair == ">>" ? TokenKind::Op : TokenKind::Unsupported, pair);
  }
  const std::string_view single = text_.substr(pos_++, 1);
  if (single.find_first_of("+-*/%&^|()[]:,.") == 0) return Token(TokenKind::Op, single);
  if (single.find_first_of("~@<>") == 0) return Token(TokenKind::Unsupported, single);
  syntax_error();
}

struct BinaryOperator {
  std::string_view text;
  BinaryOp op;
  std::size_t level;  // 0 binds loosest, as in Python: | ^ & shifts +- */%
};

constexpr BinaryOperator kBinaryOperators[] = {
    {"|", BinaryOp::Or, 0},       {"^", BinaryOp::Xor, 1}, {"&", BinaryOp::And, 2}, {"<<", BinaryOp::Shl, 3},
    {">>", BinaryOp::Shr, 3},     {"+", BinaryOp::Add, 4}, {"-", BinaryOp::Sub, 4}, {"*", BinaryOp::Mul, 5},
    {"/", BinaryOp::FloorDiv, 5}, {"%", BinaryOp::Mod, 5},
};
constexpr std::size_t kUnaryLevel = 6;

struct MethodSignature {
  std::string_view name;
  Method method;
  std::size_t arity;
};

constexpr MethodSignature kMethods[] = {
    {"upper", Method::Upper, 0},
    {"lower", Method::Lower, 0},
    {"replace", Method::Replace, 2},
    {"block_number", Method::BlockNumber, 1},
    {"block_offset", Method::BlockOffset, 1},
};

// Recursive descent over Python's expression grammar, reduced to what confluent evaluates.
class Parser {
 public:
  Parser(std::string_view text, std::vector<Node>& nodes) : lexer_(text), nodes_(nodes), first_node_(nodes.size()) {
    advance();
  }
  int parse();

 private:
  void advance() { token_ = lexer_.next(); }
  bool at(std::string_view op) const { return token_.kind == TokenKind::Op && token_.text == op; }
  void expect(std::string_view op);
  int add(Node node);
  void nest(int step);
  int parse_expression();
  int parse_binary(std::size_t level);
  int parse_unary();
  int parse_postfix();
  int parse_atom();
  int parse_name_chain();
  int parse_subscript(int base);
  int parse_call(int base, std::string_view name);

  Lexer lexer_;
  Token token_;
  std::vector<Node>& nodes_;
  std::size_t first_node_;
  std::vector<int> depths_;  // tree depth of each node this parser added
  int nesting_ = 0;
};

int Parser::parse() {
  const int root = parse_expression();
  expect("");
  return root;
}

// An empty `op` expects the end of the field.
void Parser::expect(std::string_view op) {
  if (token_.kind == TokenKind::Unsupported) unsupported();
  if (op.empty() ? token_.kind != TokenKind::End : !at(op)) syntax_error();
  advance();
}

// Evaluation recurses once per tree level, so the depth is bounded here, where it is known.
int Parser::add(Node node) {
  int depth = 1;
  for (int child : {node.first, node.second, node.third}) {
    if (child >= 0) depth = std::max(depth, 1 + depths_[static_cast<std::size_t>(child) - first_node_]);
  }
  if (depth > kMaxTreeDepth) throw ExpressionError("maximum recursion depth exceeded");
  depths_.push_back(depth);
  nodes_.push_back(std::move(node));
  return static_cast<int>(nodes_.size() - 1);
}

// Parentheses and unary minus recurse in the parser itself.
void Parser::nest(int step) {
  nesting_ += step;
  if (nesting_ > kMaxNesting) throw ExpressionError("too many nested parentheses (<unknown>, line 1)");
}

int Parser::parse_expression() {
  nest(1);
  const int root = parse_binary(0);
  nest(-1);
  return root;
}

int Parser::parse_binary(std::size_t level) {
  if (level == kUnaryLevel) return parse_unary();
  int left = parse_binary(level + 1);
  for (;;) {
    const auto* match = std::find_if(std::begin(kBinaryOperators), std::end(kBinaryOperators),
                                     [&](const BinaryOperator& op) { return op.level == level && at(op.text); });
    if (match == std::end(kBinaryOperators)) return left;
    advance();
    Node node(NodeKind::Binary);
    node.binary_op = match->op;
    node.first = left;
    node.second = parse_binary(level + 1);
    left = add(std::move(node));
  }
}

int Parser::parse_unary() {
  if (at("+") || token_.kind == TokenKind::Unsupported) unsupported();
  if (!at("-")) return parse_postfix();
  advance();
  Node node(NodeKind::Negate);
  nest(1);
  node.first = parse_unary();
  nest(-1);
  return add(std::move(node));
}

int Parser::parse_postfix() {
  int base = token_.kind == TokenKind::Name ? parse_name_chain() : parse_atom();
  for (;;) {
    if (at("(")) unsupported();  // calling anything but a method
    if (at("[")) {
      base = parse_subscript(base);
      continue;
    }
    if (!at(".")) return base;
    advance();
    if (token_.kind != TokenKind::Name) syntax_error();
    const std::string_view name = token_.text;
    advance();
    if (!at("(")) unsupported();  // an attribute of a computed value
    base = parse_call(base, name);
  }
}

int Parser::parse_atom() {
  if (at("(")) {
    advance();
    const int inner = parse_expression();
    expect(")");
    return inner;
  }
  if (token_.kind == TokenKind::Unsupported) unsupported();
  if (token_.kind != TokenKind::Int && token_.kind != TokenKind::Str) syntax_error();
  Node node(token_.kind == TokenKind::Int ? NodeKind::Int : NodeKind::Str);
  node.number = token_.number;
  for (; token_.kind == TokenKind::Str; advance()) node.text += token_.value;  // 'a' 'b' is 'ab'
  if (node.kind == NodeKind::Int) advance();
  return add(std::move(node));
}

Node name_node(std::string name) {
  if (name == "node" || name == "nodename") return Node(NodeKind::NodeName);
  if (name[0] != 'n' || name.find_first_not_of("0123456789", 1) != std::string::npos) {
    Node node(NodeKind::Attribute);
    node.text = std::move(name);
    return node;
  }
  // confluent matches ^n([0-9]*)$ and calls int() on the digits, even when there are none.
  if (name.size() == 1) throw ExpressionError("invalid literal for int() with base 10: ''");
  Node node(NodeKind::NameNumber);
  for (std::size_t i = 1; i < name.size(); ++i) {
    node.number = std::min(node.number * 10 + (name[i] - '0'), 1'000'000'000LL);
  }
  return node;
}

// Dotted names join into one attribute name, up to a component that is called as a method.
int Parser::parse_name_chain() {
  std::string name(token_.text);
  advance();
  while (at(".")) {
    const std::size_t mark = lexer_.position();
    Token dot = token_;
    advance();
    if (token_.kind != TokenKind::Name) syntax_error();
    const std::string_view component = token_.text;
    advance();
    if (at("(")) {
      lexer_.rewind(mark);
      token_ = std::move(dot);
      break;
    }
    name.append(".").append(component);
  }
  return add(name_node(std::move(name)));
}

int Parser::parse_subscript(int base) {
  advance();
  Node node(NodeKind::Index);
  node.first = base;
  if (!at(":")) node.second = parse_expression();
  if (at(":")) {
    node.kind = NodeKind::Slice;
    advance();
    if (!at("]") && !at(":")) node.third = parse_expression();
    if (at(":")) unsupported();  // a slice step
  }
  expect("]");
  return add(std::move(node));
}

int Parser::parse_call(int base, std::string_view name) {
  advance();
  std::vector<int> args;
  while (!at(")")) {
    args.push_back(parse_expression());
    if (!at(",")) break;
    advance();
  }
  expect(")");
  const auto* signature = std::find_if(std::begin(kMethods), std::end(kMethods),
                                       [&](const MethodSignature& method) { return method.name == name; });
  if (signature == std::end(kMethods)) throw ExpressionError("unsupported method '" + std::string(name) + "'");
  if (args.size() != signature->arity) {
    static constexpr std::string_view kTakes[] = {"no arguments", "exactly one argument", "exactly two arguments"};
    throw ExpressionError(std::string(name) + "() takes " + std::string(kTakes[signature->arity]) + " (" +
                          std::to_string(args.size()) + " given)");
  }
  Node node(NodeKind::Call);
  node.method = signature->method;
  node.first = base;
  node.second = args.empty() ? -1 : args[0];
  node.third = args.size() < 2 ? -1 : args[1];
  return add(std::move(node));
}

}  // namespace

int parse_field_expression(std::string_view text, std::vector<Node>& nodes) {
  const std::size_t first = text.find_first_not_of(" \t");
  // Python parses a blank field to an empty module, whose body[0] does not exist.
  if (first == text.npos || text[first] == '#') throw ExpressionError("list index out of range");
  if (first > 0) throw ExpressionError("unexpected indent (<unknown>, line 1)");
  const std::size_t mark = nodes.size();
  try {
    return Parser(text, nodes).parse();
  } catch (...) {
    nodes.resize(mark);
    throw;
  }
}

}  // namespace detail

TypedValue classify_value(std::string_view typed) {
  const std::string quoted = "'" + std::string(typed) + "'";
  TypedValue result;
  for (const detail::TemplatePart& part : detail::split_template(typed)) {
    if (part.brace_error) throw Error(ErrorKind::Invalid, "unbalanced braces in value " + quoted);
    if (!part.error.empty()) throw Error(ErrorKind::Invalid, part.error + " in value " + quoted);
    if (detail::utf8_length(part.spec) > detail::kMaxFormatSpecLength) {
      throw Error(ErrorKind::Invalid, "format specification '" + std::string(part.spec) +
                                          "' exceeds the maximum supported length of " +
                                          std::to_string(detail::kMaxFormatSpecLength));
    }
    result.is_expression = result.is_expression || part.has_field;
    result.text += part.literal;
  }
  if (result.is_expression) result.text = typed;
  return result;
}

}  // namespace confluent::attrdb
