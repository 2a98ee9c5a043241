#include "hub/front_matter.h"

#include <yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <new>
#include <optional>

namespace wharf::hub {
namespace {

using nlohmann::json;

constexpr std::string_view kErrorPrefix = "Invalid YAML in README.md metadata: ";
constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

// ---- front matter split ----

// A fence line is "---", tolerating trailing blanks and the '\r' of CRLF.
bool is_fence(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  return line == "---";
}

// ---- core schema typing of plain scalars (YAML 1.2, §10.3.2) ----

bool is_digits(std::string_view s, bool (*digit)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), digit);
}
bool dec_digit(char c) { return c >= '0' && c <= '9'; }
bool oct_digit(char c) { return c >= '0' && c <= '7'; }
bool hex_digit(char c) { return dec_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_core_float(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && dec_digit(s[i])) ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_digits = digits();
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    frac_digits = digits();
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// A finite double, or nullopt (nlohmann::json cannot serialize inf or nan).
std::optional<double> to_finite_double(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);  // from_chars refuses '+'
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// A decimal integer as int64, else uint64, else (too large) a double, else the text.
json decimal_integer(std::string_view text) {
  std::string_view s = text;
  if (s.front() == '+') s.remove_prefix(1);
  int64_t i = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), i);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return i;
  uint64_t u = 0;
  auto ru = std::from_chars(s.data(), s.data() + s.size(), u);
  if (ru.ec == std::errc() && ru.ptr == s.data() + s.size()) return u;
  if (auto d = to_finite_double(s)) return *d;
  return std::string(text);
}

// 0o / 0x integers: an unsigned value, or the text when it does not fit 64 bits.
json based_integer(std::string_view text, int base) {
  std::string_view digits = text.substr(2);
  uint64_t u = 0;
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
  if (r.ec == std::errc() && r.ptr == digits.data() + digits.size()) return u;
  return std::string(text);
}

json resolve_plain(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  std::string_view unsigned_part = s.front() == '-' || s.front() == '+' ? s.substr(1) : s;
  if (is_digits(unsigned_part, dec_digit)) return decimal_integer(s);
  if (s.size() > 2 && s.starts_with("0o") && is_digits(s.substr(2), oct_digit))
    return based_integer(s, 8);
  if (s.size() > 2 && s.starts_with("0x") && is_digits(s.substr(2), hex_digit))
    return based_integer(s, 16);
  if (is_core_float(s)) {
    if (auto d = to_finite_double(s)) return *d;
  }
  // .inf, .nan and anything else stay strings.
  return std::string(s);
}

// ---- libyaml RAII ----

class YamlParser {
 public:
  explicit YamlParser(std::string_view text) {
    if (!yaml_parser_initialize(&parser_)) throw std::bad_alloc();
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    // Forced, so that a UTF-16 BOM cannot switch the reader away from UTF-8 validation.
    yaml_parser_set_encoding(&parser_, YAML_UTF8_ENCODING);
  }
  ~YamlParser() { yaml_parser_delete(&parser_); }
  YamlParser(const YamlParser&) = delete;
  YamlParser& operator=(const YamlParser&) = delete;
  yaml_parser_t* get() { return &parser_; }

 private:
  yaml_parser_t parser_;
};

class YamlEvent {
 public:
  YamlEvent() = default;
  ~YamlEvent() { reset(); }
  YamlEvent(const YamlEvent&) = delete;
  YamlEvent& operator=(const YamlEvent&) = delete;
  void reset() {
    if (live_) yaml_event_delete(&event_);
    live_ = false;
  }
  // Fills the event from the parser; false on a parse error.
  bool pull(yaml_parser_t* parser) {
    reset();
    live_ = yaml_parser_parse(parser, &event_) != 0;
    return live_;
  }
  const yaml_event_t& operator*() const { return event_; }
  const yaml_event_t* operator->() const { return &event_; }

 private:
  yaml_event_t event_{};
  bool live_ = false;
};

std::string_view as_view(const yaml_char_t* p) {
  return p == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(p));
}

// ---- the event-driven builder ----

// Builds JSON from libyaml events while enforcing YamlLimits. Anchors keep the built value,
// so an alias costs the nodes and bytes of the value it expands to: a billion-laughs
// document fails on the budget long before it allocates. The copy an anchor keeps is
// charged too, so that nested anchors cannot multiply memory either.
class JsonBuilder {
 public:
  JsonBuilder(std::string_view text, const YamlLimits& limits, std::size_t line_offset)
      : text_(text), parser_(text), limits_(limits), line_offset_(line_offset) {}

  // The first document's value (null for an empty stream); later documents are not read.
  Result<json> first_document();

 private:
  struct Built {
    json value;
    std::size_t height = 0;  // collection nesting inside the value (a scalar: 0)
  };
  struct Cost {
    std::size_t nodes = 0;
    std::size_t bytes = 0;
  };
  struct Anchor {
    json value;
    Cost cost;  // of building `value` once
    std::size_t height = 0;
  };

  Result<void> pull(YamlEvent& ev);
  Result<void> expect(YamlEvent& ev, yaml_event_type_t type, const char* what);
  // `ev` holds the node's first event; `depth` is the nesting of the enclosing collections.
  Result<Built> node(const YamlEvent& ev, std::size_t depth);
  Result<Built> alias(const yaml_event_t& e, std::size_t depth);
  // Checks the depth and counts the collection's own node.
  Result<void> enter_collection(std::size_t depth, const yaml_mark_t& mark);
  // The items up to the end event; `depth` is the collection's own nesting.
  Result<Built> sequence(std::size_t depth);
  Result<Built> mapping(std::size_t depth);
  Result<std::string> mapping_key(const YamlEvent& ev, std::size_t depth);
  // Adds `c` to `*counter` when the total of built and copied stays within the limits.
  Result<void> charge(Cost c, Cost* counter, const yaml_mark_t& mark);
  Error error_at(std::string problem, std::size_t line0) const;
  Error parser_error();

  std::string_view text_;
  YamlParser parser_;
  const YamlLimits& limits_;
  std::size_t line_offset_;  // lines before the YAML text (the README's opening fence)
  Cost built_;               // every node of the result, aliases expanded
  Cost copied_;              // the copies that anchors keep
  std::map<std::string, Anchor, std::less<>> anchors_;
};

Error JsonBuilder::error_at(std::string problem, std::size_t line0) const {
  return errors::bad_request(std::string(kErrorPrefix) + problem + " at line " +
                             std::to_string(line0 + 1 + line_offset_));
}

Error JsonBuilder::parser_error() {
  const yaml_parser_t& p = *parser_.get();
  std::string problem = p.problem != nullptr ? p.problem : "parse error";
  if (p.context != nullptr) problem = std::string(p.context) + ": " + problem;
  std::size_t line0 = p.problem_mark.line;
  // The reader (encoding errors) reports a byte offset instead of a mark.
  if (p.error == YAML_READER_ERROR) {
    std::size_t offset = std::min(p.problem_offset, text_.size());
    line0 = static_cast<std::size_t>(std::count(text_.begin(), text_.begin() + offset, '\n'));
  }
  return error_at(problem, line0);
}

Result<void> JsonBuilder::pull(YamlEvent& ev) {
  if (!ev.pull(parser_.get())) return fail(parser_error());
  return {};
}

Result<void> JsonBuilder::expect(YamlEvent& ev, yaml_event_type_t type, const char* what) {
  WHARF_TRY_VOID(pull(ev));
  if (ev->type != type) return fail(error_at(std::string("expected ") + what, ev->start_mark.line));
  return {};
}

Result<void> JsonBuilder::charge(Cost c, Cost* counter, const yaml_mark_t& mark) {
  // Sums of sizes bounded by the input and the limits: no overflow.
  if (built_.nodes + copied_.nodes + c.nodes > limits_.max_nodes) {
    return fail(error_at(
        "more than " + std::to_string(limits_.max_nodes) + " nodes (aliases counted as expanded)",
        mark.line));
  }
  if (built_.bytes + copied_.bytes + c.bytes > limits_.max_scalar_bytes) {
    return fail(error_at("more than " + std::to_string(limits_.max_scalar_bytes) +
                             " bytes of scalars (aliases counted as expanded)",
                         mark.line));
  }
  counter->nodes += c.nodes;
  counter->bytes += c.bytes;
  return {};
}

Result<json> JsonBuilder::first_document() {
  YamlEvent ev;
  WHARF_TRY_VOID(expect(ev, YAML_STREAM_START_EVENT, "the start of the stream"));
  WHARF_TRY_VOID(pull(ev));
  if (ev->type == YAML_STREAM_END_EVENT) return json(nullptr);
  if (ev->type != YAML_DOCUMENT_START_EVENT) {
    return fail(error_at("expected a document", ev->start_mark.line));
  }
  WHARF_TRY_VOID(pull(ev));
  Built root = WHARF_TRY(node(ev, 0));
  WHARF_TRY_VOID(expect(ev, YAML_DOCUMENT_END_EVENT, "the end of the document"));
  return std::move(root.value);
}

Result<JsonBuilder::Built> JsonBuilder::node(const YamlEvent& ev, std::size_t depth) {
  const yaml_event_t& e = *ev;
  Cost before = built_;
  const yaml_char_t* anchor = nullptr;
  Built built;
  switch (e.type) {
    case YAML_ALIAS_EVENT:
      return alias(e, depth);
    case YAML_SCALAR_EVENT: {
      WHARF_TRY_VOID(charge({1, e.data.scalar.length}, &built_, e.start_mark));
      anchor = e.data.scalar.anchor;
      std::string_view text(reinterpret_cast<const char*>(e.data.scalar.value),
                            e.data.scalar.length);
      std::string_view tag = as_view(e.data.scalar.tag);
      // Only untagged (or non-"!!str") plain scalars are typed; quoted ones stay strings.
      bool typed = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && tag != kStrTag && tag != "!";
      built.value = typed ? resolve_plain(text) : json(std::string(text));
      break;
    }
    case YAML_SEQUENCE_START_EVENT:
      anchor = e.data.sequence_start.anchor;
      WHARF_TRY_VOID(enter_collection(depth + 1, e.start_mark));
      built = WHARF_TRY(sequence(depth + 1));
      break;
    case YAML_MAPPING_START_EVENT:
      anchor = e.data.mapping_start.anchor;
      WHARF_TRY_VOID(enter_collection(depth + 1, e.start_mark));
      built = WHARF_TRY(mapping(depth + 1));
      break;
    default:
      return fail(error_at("unexpected event", e.start_mark.line));
  }
  if (anchor != nullptr) {
    Cost cost{built_.nodes - before.nodes, built_.bytes - before.bytes};
    WHARF_TRY_VOID(charge(cost, &copied_, e.start_mark));
    anchors_.insert_or_assign(std::string(as_view(anchor)),
                              Anchor{built.value, cost, built.height});
  }
  return built;
}

Result<JsonBuilder::Built> JsonBuilder::alias(const yaml_event_t& e, std::size_t depth) {
  auto it = anchors_.find(as_view(e.data.alias.anchor));
  if (it == anchors_.end()) {
    // Also the case for an alias inside its own anchored node: a cycle.
    return fail(error_at("unknown anchor '" + std::string(as_view(e.data.alias.anchor)) + "'",
                         e.start_mark.line));
  }
  const Anchor& a = it->second;
  if (depth + a.height > limits_.max_depth) {
    return fail(error_at("nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                         e.start_mark.line));
  }
  // Checked before copying, so the copy is bounded by the budget.
  WHARF_TRY_VOID(charge(a.cost, &built_, e.start_mark));
  return Built{a.value, a.height};
}

Result<void> JsonBuilder::enter_collection(std::size_t depth, const yaml_mark_t& mark) {
  if (depth > limits_.max_depth) {
    return fail(error_at("nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                         mark.line));
  }
  return charge({1, 0}, &built_, mark);
}

Result<JsonBuilder::Built> JsonBuilder::sequence(std::size_t depth) {
  Built out{json::array(), 1};
  YamlEvent ev;
  while (true) {
    WHARF_TRY_VOID(pull(ev));
    if (ev->type == YAML_SEQUENCE_END_EVENT) break;
    Built item = WHARF_TRY(node(ev, depth));
    out.height = std::max(out.height, item.height + 1);
    out.value.push_back(std::move(item.value));
  }
  return out;
}

Result<JsonBuilder::Built> JsonBuilder::mapping(std::size_t depth) {
  Built out{json::object(), 1};
  YamlEvent ev;
  while (true) {
    WHARF_TRY_VOID(pull(ev));
    if (ev->type == YAML_MAPPING_END_EVENT) break;
    std::string key = WHARF_TRY(mapping_key(ev, depth));
    WHARF_TRY_VOID(pull(ev));
    Built value = WHARF_TRY(node(ev, depth));
    out.height = std::max(out.height, value.height + 1);
    out.value[key] = std::move(value.value);  // a duplicate key: the last one wins
  }
  return out;
}

// Keys are stored as their source text ("1: x" gives {"1": "x"}); a collection as key has
// no JSON form and is refused.
Result<std::string> JsonBuilder::mapping_key(const YamlEvent& ev, std::size_t depth) {
  const yaml_event_t& e = *ev;
  if (e.type == YAML_SCALAR_EVENT) {
    WHARF_TRY_VOID(node(ev, depth));  // counts the node and records an anchor on the key
    return std::string(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
  }
  if (e.type == YAML_ALIAS_EVENT) {
    Built b = WHARF_TRY(alias(e, depth));
    if (b.value.is_string()) return b.value.get<std::string>();
    if (b.value.is_primitive()) return b.value.dump();
  }
  return fail(error_at("a mapping key must be a scalar", e.start_mark.line));
}

Result<json> parse_yaml_at(std::string_view text, bool require_mapping, const YamlLimits& limits,
                           std::size_t line_offset) {
  if (text.size() > limits.max_bytes) {
    return fail(errors::bad_request(std::string(kErrorPrefix) + "larger than " +
                                    std::to_string(limits.max_bytes) + " bytes"));
  }
  JsonBuilder builder(text, limits, line_offset);
  json value = WHARF_TRY(builder.first_document());
  if (!require_mapping) return value;
  if (value.is_null()) return json::object();
  if (!value.is_object()) {
    return fail(errors::bad_request(std::string(kErrorPrefix) + "the top level must be a mapping"));
  }
  return value;
}

}  // namespace

FrontMatterSplit split_front_matter(std::string_view readme) {
  if (readme.starts_with("\xEF\xBB\xBF")) readme.remove_prefix(3);  // editors' UTF-8 BOM
  std::size_t first_end = readme.find('\n');
  if (first_end == std::string_view::npos || !is_fence(readme.substr(0, first_end))) return {};
  std::size_t body_start = first_end + 1;
  for (std::size_t line_start = body_start; line_start < readme.size();) {
    std::size_t line_end = readme.find('\n', line_start);
    std::string_view line =
        readme.substr(line_start, line_end == readme.npos ? readme.npos : line_end - line_start);
    if (is_fence(line))
      return {true, std::string(readme.substr(body_start, line_start - body_start))};
    if (line_end == std::string_view::npos) break;
    line_start = line_end + 1;
  }
  return {};  // unclosed: the "---" was a horizontal rule, not front matter
}

Result<nlohmann::json> parse_yaml(std::string_view text, bool require_mapping,
                                  const YamlLimits& limits) {
  return parse_yaml_at(text, require_mapping, limits, 0);
}

Result<nlohmann::json> parse_card_data(std::string_view readme) {
  FrontMatterSplit split = split_front_matter(readme);
  if (!split.present) return nlohmann::json::object();
  // One line of offset for the opening fence, so errors give the README's line numbers.
  return parse_yaml_at(split.yaml, true, YamlLimits{}, 1);
}

}  // namespace wharf::hub
