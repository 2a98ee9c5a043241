#include "hub/card_tags.h"

#include <algorithm>
#include <array>
#include <set>

#include "hub/card_fields.h"
#include "hub/card_vocabulary.h"
#include "hub/repo_id.h"

namespace wharf::hub {
namespace {

using nlohmann::json;
using namespace card_detail;

class TagSet {
 public:
  void add(std::string_view tag) {
    if (tags_.size() >= kMaxCardTags || tag.empty() || tag.size() > kMaxCardTagBytes) return;
    tags_.emplace(tag);
  }
  void add(std::string_view prefix, std::string_view value) {
    std::string t(prefix);
    t += value;
    add(t);
  }
  std::vector<std::string> sorted() && { return {tags_.begin(), tags_.end()}; }

 private:
  std::set<std::string> tags_;
};

// What the file list says about a repo.
struct FileFacts {
  std::set<std::string> formats;       // model weight formats: "safetensors", "gguf", ...
  std::set<std::string> data_formats;  // dataset formats: "parquet", "json", ...
  std::set<std::string> root_files;    // names of files at the root
  bool has_ext(std::string_view f) const { return formats.contains(std::string(f)); }
};

bool ends_with_any(std::string_view s, std::initializer_list<std::string_view> suffixes) {
  return std::ranges::any_of(suffixes, [s](std::string_view x) { return s.ends_with(x); });
}

std::string_view model_format(std::string_view base) {
  if (base.ends_with(".safetensors") || base.ends_with(".safetensors.index.json"))
    return "safetensors";
  if (base.ends_with(".gguf")) return "gguf";
  if (base.ends_with(".onnx")) return "onnx";
  if ((base.starts_with("pytorch_model") &&
       (base.ends_with(".bin") || base.ends_with(".bin.index.json"))) ||
      base.ends_with(".pt"))
    return "pytorch";
  if (base == "tf_model.h5") return "tf";
  if (base == "flax_model.msgpack") return "jax";
  if (base.starts_with("events.out.tfevents")) return "tensorboard";
  if (base.ends_with(".mlmodel")) return "coreml";
  if (base.ends_with(".tflite")) return "tflite";
  if (base == "rust_model.ot") return "rust";
  return "";
}

std::string_view data_format(std::string_view base) {
  if (base.ends_with(".parquet")) return "parquet";
  if (ends_with_any(base, {".jsonl", ".jsonl.gz", ".jsonl.zst", ".json.gz"})) return "json";
  // Metadata written next to the data by `datasets` is not data.
  if (base.ends_with(".json")) {
    static constexpr std::array kMeta = {"dataset_info.json", "dataset_infos.json",
                                         "dataset_dict.json", "state.json"};
    return std::ranges::find(kMeta, base) == kMeta.end() ? "json" : "";
  }
  if (ends_with_any(base, {".csv", ".tsv", ".csv.gz", ".tsv.gz"})) return "csv";
  if (base.ends_with(".arrow")) return "arrow";
  if (base.ends_with(".txt") || base.ends_with(".txt.gz")) return "text";
  if (base.ends_with(".tar")) return "webdataset";
  return "";
}

FileFacts scan_files(const std::vector<std::string>& paths) {
  FileFacts f;
  for (const auto& p : paths) {
    std::string_view path = p;
    auto slash = path.rfind('/');
    std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (slash == std::string_view::npos) f.root_files.emplace(base);
    if (path.find(".mlpackage/") != std::string_view::npos) f.formats.emplace("coreml");
    if (auto m = model_format(base); !m.empty()) f.formats.emplace(m);
    if (auto d = data_format(base); !d.empty()) f.data_formats.emplace(d);
  }
  return f;
}

bool config_is_object(const std::optional<json>& config) { return config && config->is_object(); }

std::string infer_library(const FileFacts& f, const std::optional<json>& config) {
  auto root = [&f](const char* name) { return f.root_files.contains(name); };
  if (root("model_index.json")) return "diffusers";
  if (root("config_setfit.json")) return "setfit";
  if (root("config_sentence_transformers.json") || root("modules.json"))
    return "sentence-transformers";
  if (root("open_clip_config.json")) return "open_clip";
  if (root("adapter_config.json")) return "peft";
  if (config_is_object(config)) {
    const json& c = *config;
    if (c.contains("pretrained_cfg") && c.value("architecture", json()).is_string()) return "timm";
    if (c.value("architectures", json()).is_array() || c.value("model_type", json()).is_string())
      return "transformers";
  }
  if (f.has_ext("gguf")) return "gguf";
  if (f.has_ext("onnx")) return "onnx";
  if (std::ranges::any_of(f.root_files, [](const std::string& n) { return n.ends_with(".keras"); }))
    return "keras";
  if (std::ranges::any_of(f.root_files, [](const std::string& n) { return n.ends_with(".nemo"); }))
    return "nemo";
  return "";
}

// The task of one transformers architecture class name, "" when its name does not say.
std::string_view task_of_architecture(std::string_view arch, std::string_view model_type) {
  static constexpr std::array kAudioTypes = {"audio-spectrogram-transformer",
                                             "data2vec-audio",
                                             "hubert",
                                             "sew",
                                             "sew-d",
                                             "unispeech",
                                             "unispeech-sat",
                                             "wav2vec2",
                                             "wav2vec2-conformer",
                                             "wavlm",
                                             "whisper"};
  bool audio = std::ranges::find(kAudioTypes, model_type) != kAudioTypes.end();
  struct Rule {
    std::string_view suffix, task;
  };
  static constexpr std::array kRules = {
      Rule{"ForSequenceClassification", "text-classification"},
      Rule{"ForTokenClassification", "token-classification"},
      Rule{"ForQuestionAnswering", "question-answering"},
      Rule{"ForMaskedLM", "fill-mask"},
      Rule{"ForCausalLM", "text-generation"},
      Rule{"LMHeadModel", "text-generation"},
      Rule{"ForSeq2SeqLM", "text2text-generation"},
      Rule{"ForImageClassification", "image-classification"},
      Rule{"ForObjectDetection", "object-detection"},
      Rule{"ForSemanticSegmentation", "image-segmentation"},
      Rule{"ForDepthEstimation", "depth-estimation"},
      Rule{"ForAudioClassification", "audio-classification"},
      Rule{"ForCTC", "automatic-speech-recognition"},
      Rule{"ForSpeechSeq2Seq", "automatic-speech-recognition"},
      Rule{"ForImageTextToText", "image-text-to-text"},
  };
  if (audio && arch.ends_with("ForSequenceClassification")) return "audio-classification";
  if (model_type == "whisper" && arch.ends_with("ForConditionalGeneration"))
    return "automatic-speech-recognition";
  for (const auto& r : kRules)
    if (arch.ends_with(r.suffix)) return r.task;
  return "";
}

// A pipeline tag when the library and config.json make it unambiguous, else "".
std::string infer_pipeline(std::string_view library, const std::optional<json>& config) {
  if (library == "sentence-transformers") return "sentence-similarity";
  if (library != "transformers" || !config_is_object(config)) return "";
  const json& c = *config;
  auto archs = c.value("architectures", json());
  if (!archs.is_array() || archs.empty() || archs.size() > 16) return "";
  std::string model_type =
      c.value("model_type", json()).is_string() ? c["model_type"].get<std::string>() : "";
  std::string_view task;
  for (const auto& a : archs) {
    if (!a.is_string()) return "";
    auto t = task_of_architecture(a.get_ref<const std::string&>(), model_type);
    if (t.empty() || (!task.empty() && t != task)) return "";
    task = t;
  }
  return std::string(task);
}

const json* quantization_config(const std::optional<json>& config) {
  if (!config_is_object(config)) return nullptr;
  auto it = config->find("quantization_config");
  return it != config->end() && it->is_object() ? &*it : nullptr;
}

void add_config_tags(const std::optional<json>& config, TagSet& tags) {
  if (!config_is_object(config)) return;
  if (auto mt = config->find("model_type"); mt != config->end())
    if (auto s = clean_string(*mt)) tags.add(*s);
  const json* q = quantization_config(config);
  if (!q) return;
  if (auto m = q->find("quant_method"); m != q->end())
    if (auto s = clean_string(*m)) tags.add(lowercase(*s));
  auto flag = [q](const char* k) {
    return q->contains(k) && (*q)[k].is_boolean() && (*q)[k].get<bool>();
  };
  auto bits = q->value("bits", json());
  if (flag("load_in_4bit") || (bits.is_number_integer() && bits.get<long long>() == 4))
    tags.add("4-bit");
  if (flag("load_in_8bit") || (bits.is_number_integer() && bits.get<long long>() == 8))
    tags.add("8-bit");
}

std::string base_model_relation(const json& card, const FileFacts& files,
                                const std::optional<json>& config, std::size_t base_count) {
  auto explicit_relation = string_of(card, "base_model_relation");
  if (std::ranges::find(kRelations, explicit_relation) != kRelations.end())
    return explicit_relation;
  if (files.root_files.contains("adapter_config.json")) return "adapter";
  if (files.has_ext("gguf") || quantization_config(config)) return "quantized";
  if (base_count > 1) return "merge";
  return "finetune";
}

// A metric value kept in eval results: a number, a boolean or a short string.
std::optional<json> metric_value(const json& v) {
  if (v.is_number() || v.is_boolean()) return v;
  if (auto s = clean_string(v)) return json(*s);
  return std::nullopt;
}

std::optional<json> flatten_result(const json& r) {
  if (!r.is_object()) return std::nullopt;
  auto task_it = r.find("task");
  auto ds_it = r.find("dataset");
  auto metrics_it = r.find("metrics");
  if (task_it == r.end() || !task_it->is_object() || ds_it == r.end() || !ds_it->is_object() ||
      metrics_it == r.end() || !metrics_it->is_array())
    return std::nullopt;
  auto task_type = string_of(*task_it, "type");
  auto ds_type = string_of(*ds_it, "type");
  if (task_type.empty() || ds_type.empty()) return std::nullopt;
  json task = {{"type", task_type}};
  if (auto n = string_of(*task_it, "name"); !n.empty()) task["name"] = n;
  json dataset = {{"type", ds_type}};
  for (const char* k : {"name", "config", "split"})
    if (auto v = string_of(*ds_it, k); !v.empty()) dataset[k] = v;
  json metrics = json::array();
  for (const auto& m : *metrics_it) {
    if (metrics.size() >= kMaxMetricsPerResult) break;
    auto type = string_of(m, "type");
    auto value = m.is_object() && m.contains("value") ? metric_value(m["value"]) : std::nullopt;
    if (type.empty() || !value) continue;
    json metric = {{"type", type}, {"value", *value}};
    if (auto n = string_of(m, "name"); !n.empty()) metric["name"] = n;
    metrics.push_back(std::move(metric));
  }
  if (metrics.empty()) return std::nullopt;
  return json{
      {"task", std::move(task)}, {"dataset", std::move(dataset)}, {"metrics", std::move(metrics)}};
}

json flatten_model_index(const json& card) {
  json out = json::array();
  const json* mi = field(card, "model-index");
  if (!mi || !mi->is_array()) return out;
  std::size_t seen = 0;
  for (const auto& entry : *mi) {
    if (++seen > kMaxListItems) break;
    const json* results = field(entry, "results");
    if (!results || !results->is_array()) continue;
    std::size_t seen_results = 0;
    for (const auto& r : *results) {
      if (out.size() >= kMaxEvalResults || ++seen_results > kMaxListItems) return out;
      if (auto flat = flatten_result(r)) out.push_back(std::move(*flat));
    }
  }
  return out;
}

std::vector<std::string> languages_of(const json& card) {
  auto raw = strings_of(card, "language");
  if (raw.empty()) raw = strings_of(card, "languages");  // the old spelling
  std::vector<std::string> out;
  for (const auto& l : raw)
    if (auto n = normalize_language(l); n && std::ranges::find(out, *n) == out.end())
      out.push_back(*n);
  return out;
}

std::vector<std::string> licenses_of(const json& card) {
  std::vector<std::string> out;
  for (auto& l : strings_of(card, "license"))
    if (auto id = lowercase(l); is_known_license(id) && std::ranges::find(out, id) == out.end())
      out.push_back(id);
  return out;
}

void derive_model(const json& card, const FileFacts& files, const std::optional<json>& config,
                  DerivedCard& d, TagSet& tags) {
  d.library_name = string_of(card, "library_name");
  if (d.library_name.empty()) d.library_name = infer_library(files, config);
  if (auto p = string_of(card, "pipeline_tag"); is_known_pipeline_tag(p)) d.pipeline_tag = p;
  if (d.pipeline_tag.empty()) d.pipeline_tag = infer_pipeline(d.library_name, config);
  if (!d.library_name.empty()) tags.add(d.library_name);
  if (!d.pipeline_tag.empty()) tags.add(d.pipeline_tag);
  for (const auto& f : files.formats) tags.add(f);
  add_config_tags(config, tags);
  for (const auto& l : d.languages) tags.add(l);

  for (auto& ds : strings_of(card, "datasets"))
    if (looks_like_repo_id(ds) && std::ranges::find(d.datasets, ds) == d.datasets.end())
      d.datasets.push_back(ds);
  for (const auto& ds : d.datasets) tags.add("dataset:", ds);

  std::vector<std::string> bases;
  for (auto& b : strings_of(card, "base_model"))
    if (looks_like_repo_id(b) && std::ranges::find(bases, b) == bases.end()) bases.push_back(b);
  std::string relation =
      bases.empty() ? "" : base_model_relation(card, files, config, bases.size());
  for (auto& b : bases) {
    tags.add("base_model:", b);
    tags.add("base_model:" + relation + ":", b);
    d.base_models.emplace_back(std::move(b), relation);
  }

  d.eval_results = flatten_model_index(card);
  if (!d.eval_results.empty()) tags.add("model-index");
}

void derive_dataset(const json& card, const FileFacts& files, DerivedCard& d, TagSet& tags) {
  static constexpr std::array kPrefixed = {
      "task_categories",      "task_ids",          "size_categories", "multilinguality",
      "annotations_creators", "language_creators", "source_datasets"};
  for (const char* key : kPrefixed)
    for (const auto& v : strings_of(card, key)) tags.add(std::string(key) + ":", v);
  for (const auto& l : d.languages) tags.add("language:", l);
  for (const auto& f : files.data_formats) tags.add("format:", f);
}

void derive_space(const json& card, TagSet& tags) {
  if (auto sdk = lowercase(string_of(card, "sdk")); !sdk.empty()) tags.add(sdk);
}

}  // namespace

DerivedCard derive_card(const json& card_data, const std::vector<std::string>& file_paths,
                        std::string_view repo_type, const std::optional<json>& config_json) {
  DerivedCard d;
  TagSet tags;
  FileFacts files = scan_files(file_paths);
  d.languages = languages_of(card_data);
  auto licenses = licenses_of(card_data);
  if (!licenses.empty()) d.license = licenses.front();
  for (const auto& l : licenses) tags.add("license:", l);

  // Derived tags first, so that a card with thousands of its own tags cannot crowd them out.
  if (repo_type == "dataset")
    derive_dataset(card_data, files, d, tags);
  else if (repo_type == "space")
    derive_space(card_data, tags);
  else
    derive_model(card_data, files, config_json, d, tags);

  for (const auto& t : strings_of(card_data, "tags")) tags.add(t);
  d.tags = std::move(tags).sorted();
  return d;
}

}  // namespace wharf::hub
