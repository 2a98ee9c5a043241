// What a repo's card and files say about it: the tags the Hub derives (license, languages,
// datasets, base models, task, library, file formats, model type) and the evaluation
// results of `model-index`; and the checks `validate-yaml` makes on card metadata.
// Pure functions of their inputs: no I/O, never throw on any JSON, bounded work.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wharf::hub {

inline constexpr std::size_t kMaxCardTags = 1000;     // tags kept per repo
inline constexpr std::size_t kMaxCardTagBytes = 200;  // longer values are dropped, not cut
inline constexpr std::size_t kMaxEvalResults = 1000;  // flattened model-index entries kept

struct DerivedCard {
  std::vector<std::string> tags;       // sorted, unique, at most kMaxCardTags
  std::string pipeline_tag;            // "" when the card names none and none can be inferred
  std::string library_name;            // "" when unknown
  std::vector<std::string> languages;  // normalised codes (normalize_language), card order
  std::string license;                 // a known license id, or ""
  // (repo id, relation) with relation one of "finetune", "adapter", "quantized", "merge".
  std::vector<std::pair<std::string, std::string>> base_models;
  std::vector<std::string> datasets;
  // [{task: {type, name?}, dataset: {type, name, config?, split?}, metrics: [{type, value,
  // name?}]}]
  nlohmann::json eval_results = nlohmann::json::array();
};

// Derives the card's tags and facets as the Hub does.
// `card_data`: the README front matter (any JSON; non-objects give file-derived tags only).
// `file_paths`: the repo's files at the revision (repo-relative, "/"-separated).
// `repo_type`: "model", "dataset" or "space".
// `config_json`: the parsed root config.json of a model, when it has one.
// Tags by repo type:
//   model:   card tags, library name, pipeline tag, plain language codes ("en"),
//            "license:<id>", "dataset:<id>", "base_model:<id>" and
//            "base_model:<relation>:<id>", file formats (safetensors, gguf, onnx, pytorch,
//            tf, jax, tensorboard, ...), config.json's model_type and quantisation
//            ("gptq", "4-bit", ...), "model-index" when it has evaluation results.
//   dataset: card tags, "task_categories:", "task_ids:", "size_categories:",
//            "language:", "license:", "multilinguality:", "annotations_creators:",
//            "language_creators:", "source_datasets:", and "format:" from file extensions.
//   space:   card tags, the sdk, "license:".
// Hub-internal tags (endpoints_compatible, region:*, autotrain_compatible) are not made.
DerivedCard derive_card(const nlohmann::json& card_data, const std::vector<std::string>& file_paths,
                        std::string_view repo_type,
                        const std::optional<nlohmann::json>& config_json);

struct ValidationReport {
  std::vector<std::string> errors;    // the card must not be accepted
  std::vector<std::string> warnings;  // accepted, but worth telling the author
};

// The checks of `validate-yaml` on card metadata: known license (or "other" with
// license_name), known pipeline_tag, language codes, and the types of the list fields.
// Unknown top-level fields are allowed. At most a few dozen messages.
ValidationReport validate_card(const nlohmann::json& card_data, std::string_view repo_type);

}  // namespace wharf::hub
