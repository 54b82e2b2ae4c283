// Reading values: inheritance (node level first, then groups in order, everything last),
// expressions evaluated in the node's context, secrets masked.
#include "attrdb/database.h"
#include "attrdb/expression.h"
#include "attrdb/schema.h"
#include "attrdb/secrets.h"
#include "base/error.h"
#include "base/strings.h"

namespace confluent::attrdb {

namespace {
constexpr std::string_view kEverything = "everything";
constexpr std::string_view kMask = "********";
}  // namespace

const Record* Database::find_record(const NodeData& node, std::string_view name, std::string* from) const {
  if (auto it = node.attrs.find(name); it != node.attrs.end()) return &it->second;
  auto in_group = [&](std::string_view g) -> const Record* {
    auto git = data_.groups.find(g);
    if (git == data_.groups.end()) return nullptr;
    auto it = git->second.attrs.find(name);
    if (it == git->second.attrs.end()) return nullptr;
    if (from) *from = g;
    return &it->second;
  };
  for (const auto& g : node.groups) {
    if (const Record* r = in_group(g)) return r;
  }
  return in_group(kEverything);
}

ResolvedValue Database::resolve(std::string_view node, std::string_view canonical) {
  const NodeData& n = node_data(node);
  ResolvedValue out;
  if (canonical == "groups") {
    out.set = true;
    out.value = join(node_groups(node), ",");
    return out;
  }
  const Record* r = find_record(n, canonical, &out.inherited_from);
  if (r == nullptr) return out;
  out.set = true;
  if (r->is_protected()) {
    out.is_protected = true;
    out.value = kMask;
  } else if (r->is_expression()) {
    out.expression = r->expression;
    try {
      out.value = evaluate(node, r->expression);
    } catch (const ExpressionError& e) {
      out.error = e.what();
    }
  } else {
    out.value = r->value;
  }
  return out;
}

std::string Database::evaluate(std::string_view node, const std::string& text) {
  auto it = expressions_.find(text);
  if (it == expressions_.end()) it = expressions_.emplace(text, std::make_unique<Expression>(text)).first;
  const Expression& expr = *it->second;
  auto lookup = [this, node](std::string_view ref) -> std::string {
    std::string name = schema::resolve_alias(ref);
    if (has_glob(name) || !schema::is_known_name_or_pattern(name)) {
      throw ExpressionError(std::string(ref) + " is not a valid attribute name");
    }
    if (schema::is_secret(name) || schema::is_crypted(name)) return {};
    for (const auto& busy : evaluating_) {
      if (busy == name) throw ExpressionError("circular reference to " + name);
    }
    evaluating_.push_back(name);
    ResolvedValue v;
    try {
      v = resolve(node, name);
    } catch (...) {
      evaluating_.pop_back();
      throw;
    }
    evaluating_.pop_back();
    if (!v.error.empty()) throw ExpressionError(v.error);
    return v.value;
  };
  return expr.evaluate(node, lookup);
}

std::string Database::expand_template(std::string_view node, std::string_view text) {
  node_data(node);
  TypedValue typed = classify_value(text);
  return typed.is_expression ? evaluate(node, typed.text) : typed.text;
}

Database::Hashes Database::hashes(std::string_view node, std::string_view canonical) {
  const Record* r = find_record(node_data(node), canonical, nullptr);
  return r ? Hashes{r->hash, r->grubhash} : Hashes{};
}

std::string Database::reveal(std::string_view node, std::string_view canonical) {
  const Record* r = find_record(node_data(node), canonical, nullptr);
  if (r == nullptr || r->sealed.empty()) return r ? r->value : std::string();
  return secrets(false).unseal(r->sealed, canonical);
}

}  // namespace confluent::attrdb
