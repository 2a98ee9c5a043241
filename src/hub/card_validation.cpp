// validate-yaml's checks of card metadata (hub/card_tags.h: validate_card).
#include <algorithm>
#include <array>

#include "hub/card_fields.h"
#include "hub/card_tags.h"
#include "hub/card_vocabulary.h"

namespace wharf::hub {
namespace {
using nlohmann::json;
using namespace card_detail;
}  // namespace

namespace {

constexpr std::size_t kMaxMessages = 50;
constexpr std::size_t kQuotedBytes = 80;
constexpr std::size_t kMaxIndexChecks = 20;  // model-index entries and results looked at

constexpr std::array kSizeCategories = {"n<1K",       "1K<n<10K",   "10K<n<100K", "100K<n<1M",
                                        "1M<n<10M",   "10M<n<100M", "100M<n<1B",  "1B<n<10B",
                                        "10B<n<100B", "100B<n<1T",  "n>1T"};
constexpr std::array kSpaceSdks = {"docker", "gradio", "static", "streamlit"};

// A user value quoted in a message: cut short, control characters replaced.
std::string quote_value(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, kQuotedBytes)) out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  if (s.size() > kQuotedBytes) out += "...";
  return out + "\"";
}

class Messages {
 public:
  explicit Messages(std::vector<std::string>& out) : out_(out) {}
  void add(std::string m) {
    if (out_.size() < kMaxMessages) out_.push_back(std::move(m));
  }

 private:
  std::vector<std::string>& out_;
};

bool is_string_list(const json& v) {
  return v.is_array() && std::ranges::all_of(v, [](const json& x) { return x.is_string(); });
}

// Checks that `key`, when present, is a string or a list of strings; returns its strings.
std::vector<std::string> check_string_or_list(const json& card, const char* key, Messages& errors) {
  const json* v = field(card, key);
  if (!v) return {};
  if (!v->is_string() && !is_string_list(*v)) {
    errors.add(std::string("\"") + key + "\" must be a string or a list of strings");
    return {};
  }
  if (v->is_string()) return {v->get<std::string>()};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size() && i < kMaxListItems; ++i)
    out.push_back((*v)[i].get<std::string>());
  return out;
}

void check_string(const json& card, const char* key, Messages& errors) {
  if (const json* v = field(card, key); v && !v->is_string())
    errors.add(std::string("\"") + key + "\" must be a string");
}

std::string license_choices() {
  std::string out;
  for (auto id : known_licenses()) {
    if (id == "other") continue;
    if (!out.empty()) out += ", ";
    out += id;
  }
  return out;
}

void check_license(const json& card, Messages& errors, Messages& warnings) {
  bool other = false;
  for (const auto& l : check_string_or_list(card, "license", errors)) {
    if (l == "other")
      other = true;
    else if (!is_known_license(l))
      errors.add("\"license\" " + quote_value(l) + " is not a known license: it must be one of " +
                 license_choices() + ", or \"other\" with a \"license_name\"");
  }
  check_string(card, "license_name", errors);
  check_string(card, "license_link", errors);
  if (other && string_of(card, "license_name").empty())
    warnings.add(
        "\"license: other\" should come with a \"license_name\" (and a LICENSE file or a "
        "\"license_link\")");
}

void check_languages(const json& card, Messages& errors, Messages& warnings) {
  constexpr std::size_t kListed = 10;
  for (const char* key : {"language", "languages"}) {
    std::size_t bad = 0;
    for (const auto& l : check_string_or_list(card, key, errors)) {
      if (normalize_language(l)) continue;
      if (++bad <= kListed)
        warnings.add(
            "\"" + std::string(key) + "\" " + quote_value(l) +
            " is not a valid language code: use ISO 639-1, 639-2 or 639-3 codes (\"en\", \"fra\"), "
            "optionally with BCP 47 subtags (\"en-US\")");
    }
    if (bad > kListed)
      warnings.add("\"" + std::string(key) + "\": " + std::to_string(bad - kListed) +
                   " more invalid codes");
  }
}

void check_pipeline_tag(const json& card, Messages& errors) {
  const json* v = field(card, "pipeline_tag");
  if (!v) return;
  if (!v->is_string()) return errors.add("\"pipeline_tag\" must be a string");
  const auto& tag = v->get_ref<const std::string&>();
  if (!is_known_pipeline_tag(tag))
    errors.add("\"pipeline_tag\" " + quote_value(tag) +
               " is not a known pipeline tag (a task such as \"text-classification\" or "
               "\"text-generation\")");
}

void check_model_index_result(const json& r, const std::string& where, Messages& errors) {
  const json* task = field(r, "task");
  const json* ds = field(r, "dataset");
  const json* metrics = field(r, "metrics");
  if (!task || string_of(*task, "type").empty()) errors.add(where + ".task.type is required");
  if (!ds || string_of(*ds, "type").empty() || string_of(*ds, "name").empty())
    errors.add(where + ".dataset needs a \"type\" and a \"name\"");
  if (!metrics || !metrics->is_array() || metrics->empty())
    return errors.add(where + ".metrics must be a non-empty list");
  for (const auto& m : *metrics)
    if (string_of(m, "type").empty() || !field(m, "value"))
      return errors.add(where + ".metrics: every metric needs a \"type\" and a \"value\"");
}

void check_model_index(const json& card, Messages& errors) {
  const json* mi = field(card, "model-index");
  if (!mi) return;
  if (!mi->is_array()) return errors.add("\"model-index\" must be a list");
  for (std::size_t i = 0; i < mi->size() && i < kMaxIndexChecks; ++i) {
    std::string where = "model-index[" + std::to_string(i) + "]";
    const json* results = field((*mi)[i], "results");
    if (!results || !results->is_array()) {
      errors.add(where + " must be a mapping with a \"results\" list");
      continue;
    }
    for (std::size_t j = 0; j < results->size() && j < kMaxIndexChecks; ++j)
      check_model_index_result((*results)[j], where + ".results[" + std::to_string(j) + "]",
                               errors);
  }
}

void check_model(const json& card, Messages& errors) {
  check_pipeline_tag(card, errors);
  check_string(card, "library_name", errors);
  check_string_or_list(card, "datasets", errors);
  check_string_or_list(card, "base_model", errors);
  if (const json* rel = field(card, "base_model_relation")) {
    bool ok = rel->is_string() &&
              std::ranges::find(kRelations, rel->get<std::string>()) != kRelations.end();
    if (!ok)
      errors.add("\"base_model_relation\" must be one of adapter, finetune, merge, quantized");
  }
  check_model_index(card, errors);
}

void check_dataset(const json& card, Messages& errors, Messages& warnings) {
  for (const auto& t : check_string_or_list(card, "task_categories", errors))
    if (!is_known_pipeline_tag(t))
      warnings.add("\"task_categories\" " + quote_value(t) + " is not a known task");
  for (const auto& s : check_string_or_list(card, "size_categories", errors))
    if (std::ranges::find(kSizeCategories, s) == kSizeCategories.end())
      warnings.add("\"size_categories\" " + quote_value(s) +
                   " is not one of n<1K, 1K<n<10K, ..., 100B<n<1T, n>1T");
  for (const char* key : {"task_ids", "multilinguality", "annotations_creators",
                          "language_creators", "source_datasets"})
    check_string_or_list(card, key, errors);
  check_string(card, "pretty_name", errors);
}

void check_space(const json& card, Messages& errors) {
  const json* sdk = field(card, "sdk");
  if (sdk && !(sdk->is_string() &&
               std::ranges::find(kSpaceSdks, sdk->get<std::string>()) != kSpaceSdks.end()))
    errors.add("\"sdk\" must be one of gradio, streamlit, docker, static");
}

}  // namespace

ValidationReport validate_card(const json& card_data, std::string_view repo_type) {
  ValidationReport report;
  Messages errors(report.errors), warnings(report.warnings);
  if (card_data.is_null()) return report;
  if (!card_data.is_object()) {
    errors.add("The metadata must be a YAML mapping");
    return report;
  }
  check_license(card_data, errors, warnings);
  check_languages(card_data, errors, warnings);
  if (const json* tags = field(card_data, "tags"); tags && !is_string_list(*tags))
    errors.add("\"tags\" must be a list of strings");
  if (repo_type == "dataset")
    check_dataset(card_data, errors, warnings);
  else if (repo_type == "space")
    check_space(card_data, errors);
  else
    check_model(card_data, errors);
  return report;
}

}  // namespace wharf::hub
