#include "noderange/parser.h"

#include <limits>

#include "base/error.h"
#include "noderange/numeric.h"

namespace confluent::noderange::detail {

namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("~^$/=-_:.*+!").find(c) != std::string_view::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

[[noreturn]] void throw_not_found(const std::string& message) { throw Error(ErrorKind::NotFound, message); }

// Text before a bracket and where the bracket's content lies in the whole noderange.
struct Bracket {
  std::string literal;
  size_t begin;
  size_t end;
};

Filter parse_filter(const std::string& text) {
  // The name ends at the first '=' or '!' and the value is everything after the operator,
  // so values may hold '=' (upstream splits on it and fails).
  size_t at = text.find_first_of("=!");
  char next = at + 1 < text.size() ? text[at + 1] : '\0';
  Filter filter{text.substr(0, at), FilterOp::Equal, ""};
  size_t op_len = 2;
  if (text[at] == '=') {
    if (next == '=') filter.op = FilterOp::ExactEqual;
    else if (next == '~') filter.op = FilterOp::RegexMatch;
    else op_len = 1;
  } else if (next == '=') {
    filter.op = FilterOp::NotEqual;
  } else if (next == '~') {
    filter.op = FilterOp::RegexNotMatch;
  } else {
    throw_not_found("invalid attribute filter " + quoted(text));
  }
  if (filter.attribute.empty()) throw_not_found("invalid attribute filter " + quoted(text));
  filter.value = text.substr(at + op_len);
  return filter;
}

class Parser {
 public:
  // Parses whole[begin, end); `numeric` is the grammar inside "[]".
  Parser(std::string_view whole, size_t begin, size_t end, bool numeric)
      : whole_(whole), pos_(begin), end_(end), numeric_(numeric) {}

  ListExpr parse_all() { return parse_list(false); }

 private:
  ListExpr parse_list(bool nested);
  void take_pagination(ListExpr& list, bool leading);
  Item take_operand(SetOp op);
  Atom take_atom();
  Atom classify(std::string text, std::vector<Bracket> brackets, std::string tail);
  void skip_space() {
    while (pos_ < end_ && is_space(whole_[pos_])) ++pos_;
  }
  [[noreturn]] void fail_at(size_t pos, size_t len) const {
    throw_not_found("invalid syntax in noderange " + quoted(whole_) + " at " + quoted(whole_.substr(pos, len)));
  }
  [[noreturn]] void fail_missing(char c) const {
    throw_not_found("invalid syntax in noderange " + quoted(whole_) + ": missing " + quoted(std::string(1, c)));
  }

  std::string_view whole_;
  size_t pos_;
  size_t end_;
  bool numeric_;
};

ListExpr Parser::parse_list(bool nested) {
  ListExpr list;
  SetOp op = SetOp::Union;
  bool have_operand = false;    // something to combine with: an operand or leading pagination
  bool expect_operand = true;   // false right after an operand: an operator must come first
  while (true) {
    skip_space();
    if (pos_ == end_) {
      if (nested) fail_missing(')');
      return list;
    }
    char c = whole_[pos_];
    if (c == ')') {
      if (!nested) fail_at(pos_, 1);
      ++pos_;
      return list;
    }
    if (c == ',' || c == '@') {
      size_t len = (c == ',' && pos_ + 1 < end_ && whole_[pos_ + 1] == '-') ? 2 : 1;
      if (!have_operand) fail_at(pos_, len);  // upstream fails here with an internal error
      op = c == '@' ? SetOp::Intersection : (len == 2 ? SetOp::Difference : SetOp::Union);
      pos_ += len;
      expect_operand = true;
      continue;
    }
    if (c == '<' || c == '>') {
      take_pagination(list, !have_operand);
      if (!have_operand) expect_operand = false;
      have_operand = true;
      continue;
    }
    if (c != '(' && c != '[' && !is_word_char(c)) fail_at(pos_, 1);
    size_t start = pos_;
    if (!expect_operand && c == '(') fail_at(start, 1);  // two operands with no operator between
    Item item = take_operand(op);
    if (!expect_operand) fail_at(start, pos_ - start);
    list.items.push_back(std::move(item));
    have_operand = true;
    expect_operand = false;
  }
}

void Parser::take_pagination(ListExpr& list, bool leading) {
  size_t len = 1;
  while (pos_ + len < end_ && whole_[pos_ + len] >= '0' && whole_[pos_ + len] <= '9') ++len;
  if (len == 1 || (leading && numeric_)) fail_at(pos_, len);
  auto value = parse_number(whole_.substr(pos_ + 1, len - 1));
  uint64_t n = value ? *value : std::numeric_limits<uint64_t>::max();
  if (whole_[pos_] == '<') list.skip = n;
  else list.limit = n;
  list.pages_all_nodes = list.pages_all_nodes || leading;
  pos_ += len;
}

Item Parser::take_operand(SetOp op) {
  Item item;
  item.op = op;
  if (whole_[pos_] == '(') {
    ++pos_;
    item.list = std::make_unique<ListExpr>(parse_list(true));
  } else {
    item.atom = take_atom();
  }
  return item;
}

Atom Parser::take_atom() {
  std::string text, literal;
  std::vector<Bracket> brackets;
  while (pos_ < end_) {
    char c = whole_[pos_];
    size_t start = pos_;
    if (is_word_char(c)) {
      while (pos_ < end_ && is_word_char(whole_[pos_])) ++pos_;
      text += whole_.substr(start, pos_ - start);
      literal += whole_.substr(start, pos_ - start);
    } else if (c == '[' && !numeric_) {
      size_t close = whole_.find(']', pos_ + 1);
      if (close == std::string_view::npos || close >= end_) fail_missing(']');
      text += whole_.substr(pos_, close + 1 - pos_);
      brackets.push_back({std::move(literal), pos_ + 1, close});
      literal.clear();
      pos_ = close + 1;
    } else {
      break;
    }
    // Whitespace between the tokens of an atom is dropped: "n1 n2" reads as n1n2.
    size_t after = pos_;
    while (after < end_ && is_space(whole_[after])) ++after;
    if (after < end_ && (is_word_char(whole_[after]) || whole_[after] == '[')) pos_ = after;
  }
  if (text.empty()) fail_at(pos_, 1);  // '[' inside "[]"
  return classify(std::move(text), std::move(brackets), std::move(literal));
}

Atom Parser::classify(std::string text, std::vector<Bracket> brackets, std::string tail) {
  Atom atom;
  atom.text = std::move(text);
  // Only the text before any bracket decides, so n[a=b] is a name with a bad bracket.
  std::string_view head = brackets.empty() ? tail : brackets[0].literal;
  if (atom.text[0] == '~' || atom.text[0] == '/') {
    if (numeric_) throw_not_found("regular expressions are not supported within '[]'");
    atom.kind = AtomKind::Regex;
    return atom;
  }
  if (head.find('=') != std::string_view::npos || head.find("!~") != std::string_view::npos) {
    if (numeric_) throw_not_found("attribute filters are not supported within '[]'");
    atom.kind = AtomKind::Filter;
    atom.filter = parse_filter(atom.text);
    return atom;
  }
  for (Bracket& b : brackets) {
    size_t content = b.begin;
    while (content < b.end && is_space(whole_[content])) ++content;
    if (content == b.end) fail_at(b.begin - 1, b.end - b.begin + 2);  // "[]" names no numbers
    Parser inner(whole_, b.begin, b.end, true);
    atom.parts.push_back({std::move(b.literal), std::make_unique<ListExpr>(inner.parse_all())});
  }
  atom.parts.push_back({std::move(tail), nullptr});
  return atom;
}

}  // namespace

ListExpr parse(std::string_view text) { return Parser(text, 0, text.size(), false).parse_all(); }

}  // namespace confluent::noderange::detail
