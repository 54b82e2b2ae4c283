#pragma once
// Attribute expressions (confluent's restricted Python str.format templates):
//   "{node}-xcc", "172.30.{n1/255}.{n1%255}", "rack{n1}-u{n2:02d}", "{{literal}}".
// Pure module: attribute values come through a lookup callback.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace confluent::attrdb {

// A broken expression; what() is the error text shown after "BROKEN EXPRESSION: ".
class ExpressionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a typed value is: an expression when it has at least one {field}, otherwise a
// literal with {{ and }} turned into { and }.
struct TypedValue {
  bool is_expression = false;
  std::string text;  // the expression as typed, or the unescaped literal
};
// Throws confluent::Error(ErrorKind::Invalid) for unbalanced braces or a format spec longer
// than 8 characters.
TypedValue classify_value(std::string_view typed);

// Returns the display value of an attribute of the node being evaluated ("" when unset,
// "" for secrets); throws ExpressionError for an unknown attribute name.
using AttributeLookup = std::function<std::string(std::string_view name)>;

class Expression {
 public:
  // Never throws: a field that does not parse makes evaluate() throw ExpressionError.
  explicit Expression(std::string_view text);
  ~Expression();
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;

  const std::string& text() const;
  // Evaluates in the context of `node`; throws ExpressionError.
  std::string evaluate(std::string_view node, const AttributeLookup& lookup) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Python format mini-language for one already-evaluated field value (int or string);
// exposed for tests. Throws ExpressionError for a spec that does not apply.
std::string format_int(long long value, std::string_view spec);
std::string format_string(std::string_view value, std::string_view spec);

}  // namespace confluent::attrdb
