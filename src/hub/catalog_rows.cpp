#include "hub/catalog_rows.h"

#include <array>
#include <optional>

#include "hub/card_vocabulary.h"
#include "hub/catalog_words.h"

namespace wharf::hub::catalog_rows {

using namespace catalog_detail;
using namespace catalog_words;
using std::string_view_literals::operator""sv;

namespace {

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0; !s.empty();) {
    auto bar = s.find('|', start);
    out.push_back(s.substr(start, bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string dashed(std::string_view a, std::string_view b) {
  std::string s(a);
  if (!a.empty() && !b.empty()) s += '-';
  s += b;
  return s;
}

// An index into `weights` drawn in proportion to them.
std::size_t weighted(Rng& rng, std::span<const int> weights) {
  int total = 0;
  for (int w : weights) total += w;
  auto u = static_cast<int>(rng.below(static_cast<uint64_t>(total)));
  for (std::size_t i = 0; i < weights.size(); ++i)
    if ((u -= weights[i]) < 0) return i;
  return weights.size() - 1;
}

struct Family {
  const ModelFamily* def;
  std::vector<std::string_view> stems, sizes, licenses;
};

// A model being made: what its card says and which files and config.json it has.
struct ModelDraft {
  std::string name;
  double appeal = 1;
  bool has_card = true;
  std::string card_library, card_pipeline, license;
  std::vector<std::string> languages, datasets, base_models, card_tags;
  std::string_view model_type, architecture, quant_method;  // config.json; "" model_type: none
  int quant_bits = 0;
  bool load_in_4bit = false;
  std::vector<std::string> files;
  std::vector<std::string_view> formats;
  bool adapter = false;  // adapter_config.json at the root

  void file(std::string path, std::string_view format = {}) {
    files.push_back(std::move(path));
    if (!format.empty()) formats.push_back(format);
  }
  void tag(std::string_view t) {
    if (std::find(card_tags.begin(), card_tags.end(), t) == card_tags.end())
      card_tags.emplace_back(t);
  }
  bool has_format(std::string_view f) const {
    return std::find(formats.begin(), formats.end(), f) != formats.end();
  }
};

std::string_view weights_format(std::string_view path) {
  if (path.ends_with(".safetensors")) return "safetensors";
  if (path.ends_with(".bin")) return "pytorch";
  return {};
}

std::string config_json(const ModelDraft& d, bool summary) {
  JsonObject c;
  c.strings("architectures", {std::string(d.architecture)});
  c.string("model_type", d.model_type);
  if (!d.quant_method.empty()) {
    JsonObject q;
    if (!summary && d.quant_bits) q.raw("bits", std::to_string(d.quant_bits));
    if (!summary && d.load_in_4bit) q.raw("load_in_4bit", "true");
    q.string("quant_method", d.quant_method);
    c.raw("quantization_config", std::move(q).finish());
  }
  return std::move(c).finish();
}

// Writes the draft into the row as the indexer would: the card as stored, then the facets
// and tags derive_card (hub/card_tags) finds in that card, those files and that config.
void finish_model(const ModelDraft& d, storage::RepoRow& row, GeneratedSource& src) {
  std::string library = d.card_library;
  if (library.empty()) library = d.has_format("gguf") ? "gguf" : d.has_format("onnx") ? "onnx" : "";
  std::string relation = d.adapter                                         ? "adapter"
                         : d.has_format("gguf") || !d.quant_method.empty() ? "quantized"
                         : d.base_models.size() > 1                        ? "merge"
                                                                           : "finetune";
  TagList tags;
  tags.add(library);
  tags.add(d.card_pipeline);
  for (auto f : d.formats) tags.add(f);
  if (!d.model_type.empty()) {
    tags.add(d.model_type);
    tags.add(lower(std::string(d.quant_method)));
    if (d.quant_bits == 4 || d.load_in_4bit) tags.add("4-bit");
    if (d.quant_bits == 8) tags.add("8-bit");
  }
  for (const auto& l : d.languages) tags.add(l);
  for (const auto& ds : d.datasets) tags.add("dataset:", ds);
  for (const auto& b : d.base_models) {
    tags.add("base_model:", b);
    tags.add("base_model:" + relation + ":", b);
  }
  if (!d.license.empty()) tags.add("license:", d.license);
  for (const auto& t : d.card_tags) tags.add(t);

  if (d.has_card) {
    JsonObject card;
    if (d.base_models.size() == 1) card.string("base_model", d.base_models[0]);
    if (d.base_models.size() > 1) card.strings("base_model", d.base_models);
    if (!d.datasets.empty()) card.strings("datasets", d.datasets);
    if (d.languages.size() == 1) card.string("language", d.languages[0]);
    if (d.languages.size() > 1) card.strings("language", d.languages);
    if (!d.card_library.empty()) card.string("library_name", d.card_library);
    if (!d.license.empty()) card.string("license", d.license);
    if (!d.card_pipeline.empty()) card.string("pipeline_tag", d.card_pipeline);
    if (!d.card_tags.empty()) card.strings("tags", d.card_tags);
    row.card_data = std::move(card).finish();
  }
  row.tags = std::move(tags).json();
  row.pipeline_tag = d.card_pipeline;
  row.library_name = library;
  if (!d.model_type.empty()) {
    row.config = config_json(d, true);
    src.config_json = config_json(d, false);
  }
  src.files = d.files;
}

constexpr std::array kLicenseWeights = {
    std::pair{"apache-2.0"sv, 40}, std::pair{"mit"sv, 25},         std::pair{"other"sv, 10},
    std::pair{"cc-by-4.0"sv, 8},   std::pair{"cc-by-nc-4.0"sv, 6}, std::pair{"cc-by-sa-4.0"sv, 4},
    std::pair{"odc-by"sv, 2},      std::pair{"cc0-1.0"sv, 3},      std::pair{"unknown"sv, 2}};

}  // namespace

struct RowMaker::Impl {
  Rng& rng;
  std::vector<Family> families;
  std::vector<int> family_weights;

  explicit Impl(Rng& r) : rng(r) {
    for (const auto& f : model_families()) {
      families.push_back({&f, split(f.stems), split(f.sizes), split(f.licenses)});
      family_weights.push_back(f.weight);
    }
  }

  std::string common_license() {
    static constexpr auto kWeights = [] {
      std::array<int, kLicenseWeights.size()> w{};
      for (std::size_t i = 0; i < w.size(); ++i) w[i] = kLicenseWeights[i].second;
      return w;
    }();
    return std::string(kLicenseWeights[weighted(rng, kWeights)].first);
  }

  std::string language() {
    return std::string(rng.chance(0.4) ? "en"sv : rng.pick(catalog_words::languages()));
  }

  // ---- models ----

  ModelDraft scratch_model() {
    ModelDraft d;
    d.name = std::string(rng.pick(scratch_names()));
    if (rng.chance(0.4)) d.name = dashed(rng.pick(first_names()), d.name);
    d.appeal = 0.05;
    double files = rng.unit();
    if (files < 0.45)
      d.file("pytorch_model.bin", "pytorch");
    else if (files < 0.75)
      d.file("model.safetensors", "safetensors");
    d.has_card = rng.chance(0.5);
    if (d.has_card && rng.chance(0.6)) d.tag("generated_from_trainer");
    if (d.has_card && rng.chance(0.3)) d.license = rng.chance(0.6) ? "apache-2.0" : "mit";
    return d;
  }

  ModelDraft rl_model() {
    static constexpr std::array kMlAgents = {"Huggy"sv, "SnowballTarget"sv, "Pyramids"sv,
                                             "SoccerTwos"sv};
    ModelDraft d;
    auto env = rng.pick(rl_environments());
    bool ml_agents = std::find(kMlAgents.begin(), kMlAgents.end(), env) != kMlAgents.end();
    auto algo = ml_agents ? "ppo"sv : rng.pick(rl_algorithms());
    d.name = dashed(algo, env);
    d.appeal = 0.3;
    d.card_pipeline = "reinforcement-learning";
    d.card_tags = {std::string(env), "reinforcement-learning", "deep-reinforcement-learning"};
    if (ml_agents) {
      d.card_library = "ml-agents";
      d.card_tags.push_back("ML-Agents-" + std::string(env));
      d.file(std::string(env) + ".onnx", "onnx");
    } else if (algo == "q") {
      d.tag("q-learning");
      d.file("q-learning.pkl");
    } else {
      d.card_library = "stable-baselines3";
      d.file(d.name + ".zip");
    }
    return d;
  }

  const FinetuneSuffix& suffix_for(const Family& fam) {
    std::string_view task = fam.def->pipeline_tag;
    bool encoder = task == "text-classification" || task == "token-classification";
    for (;;) {
      const auto& s = rng.pick(finetune_suffixes());
      if (s.pipeline_tag.empty() || s.pipeline_tag == task) return s;
      if (encoder &&
          (s.pipeline_tag == "text-classification" || s.pipeline_tag == "token-classification" ||
           s.pipeline_tag == "question-answering"))
        return s;
    }
  }

  void add_weights(ModelDraft& d, const Family& fam) {
    std::string_view lib = fam.def->library;
    d.file(std::string(fam.def->weights_file), weights_format(fam.def->weights_file));
    if (!fam.def->model_type.empty()) {
      d.file("config.json");
      d.model_type = fam.def->model_type;
      d.architecture = fam.def->architecture;
    }
    if (lib == "diffusers") d.file("model_index.json");
    if (lib == "sentence-transformers") d.file("modules.json");
    if (lib == "setfit") d.file("config_setfit.json");
    if (lib == "transformers" && rng.chance(0.08)) d.file("tf_model.h5", "tf");
    if (lib == "transformers" && rng.chance(0.03)) d.file("flax_model.msgpack", "jax");
  }

  void add_llm_tags(ModelDraft& d, double p) {
    if (!rng.chance(p)) return;
    d.tag(rng.pick(llm_card_tags()));
    if (rng.chance(0.4)) d.tag(rng.pick(llm_card_tags()));
  }

  ModelDraft finetune(const Family& fam, const std::string& base, const std::string& base_id) {
    ModelDraft d;
    const auto& suffix = suffix_for(fam);
    d.name = rng.chance(0.9) ? dashed(base, suffix.suffix) : base;
    d.card_pipeline = suffix.pipeline_tag.empty() ? fam.def->pipeline_tag : suffix.pipeline_tag;
    d.card_library = fam.def->library;
    if (fam.def->pipeline_tag == "translation") {
      d.languages = {"en", std::string(rng.pick(catalog_words::languages()))};
    } else if (rng.chance(0.25)) {
      d.languages = {language()};
      if (d.languages[0] != "en" && rng.chance(0.6)) d.name = dashed(d.name, d.languages[0]);
    }
    if (rng.chance(0.25)) d.name = lower(d.name);
    if (rng.chance(0.65)) d.base_models = {base_id};
    if (!suffix.dataset.empty() && rng.chance(0.85)) d.datasets = {std::string(suffix.dataset)};
    add_weights(d, fam);
    if (fam.def->library == "transformers" && rng.chance(0.45)) {
      d.tag("generated_from_trainer");
      if (rng.chance(0.3))
        d.file("runs/Jan01_00-00-00/events.out.tfevents.1700000000.host.1.0", "tensorboard");
    }
    if (fam.def->causal_lm) add_llm_tags(d, 0.4);
    if (rng.chance(0.08)) d.tag(rng.pick(model_card_tags()));
    return d;
  }

  ModelDraft gguf(const Family& fam, const std::string& base, const std::string& org) {
    static constexpr std::array kEnds = {"-GGUF"sv, "-gguf"sv, "-Q4_K_M-GGUF"sv, "-i1-GGUF"sv,
                                         "-Q8_0-GGUF"sv};
    static constexpr std::array kQuants = {"Q4_K_M"sv, "Q5_K_M"sv, "Q8_0"sv, "IQ4_XS"sv, "Q2_K"sv};
    ModelDraft d;
    std::string inner = rng.chance(0.6) ? dashed(base, rng.chance(0.5) ? "Instruct" : "it") : base;
    d.name = inner + std::string(rng.pick(kEnds));
    d.base_models = {org + "/" + inner};
    for (int i = 0, n = 1 + static_cast<int>(rng.below(3)); i < n; ++i)
      d.file(inner + "." + std::string(rng.pick(kQuants)) + ".gguf", "gguf");
    if (rng.chance(0.7)) d.card_pipeline = fam.def->pipeline_tag;
    if (rng.chance(0.4)) d.card_tags = {"llama-cpp", "gguf-my-repo"};
    if (rng.chance(0.3)) d.languages = {"en"};
    d.appeal = 1.5;
    return d;
  }

  ModelDraft quantized(const Family& fam, const std::string& base, const std::string& org) {
    ModelDraft d;
    std::string inner = rng.chance(0.6) ? dashed(base, "Instruct") : base;
    d.base_models = {org + "/" + inner};
    d.card_library = "transformers";
    d.card_pipeline = fam.def->pipeline_tag;
    add_weights(d, fam);
    switch (rng.below(3)) {
      case 0:
        d.name = dashed(inner, rng.chance(0.5) ? "GPTQ" : "GPTQ-Int4");
        d.quant_method = "gptq";
        d.quant_bits = 4;
        break;
      case 1:
        d.name = dashed(inner, "AWQ");
        d.quant_method = "awq";
        d.quant_bits = 4;
        break;
      default:
        d.name = dashed(inner, "bnb-4bit");
        d.quant_method = "bitsandbytes";
        d.load_in_4bit = true;
    }
    return d;
  }

  ModelDraft adapter(const Family& fam, const std::string& base, const std::string& base_id) {
    static constexpr std::array kEnds = {"lora"sv, "LoRA"sv, "adapter"sv, "qlora"sv, "peft"sv};
    ModelDraft d;
    const auto& suffix = suffix_for(fam);
    d.name = dashed(dashed(base, suffix.suffix), rng.pick(kEnds));
    d.card_library = "peft";
    d.card_pipeline = fam.def->pipeline_tag;
    d.base_models = {base_id};
    if (!suffix.dataset.empty() && rng.chance(0.7)) d.datasets = {std::string(suffix.dataset)};
    d.file("adapter_config.json");
    d.file("adapter_model.safetensors", "safetensors");
    d.adapter = true;
    d.tag("lora");
    add_llm_tags(d, 0.7);
    return d;
  }

  ModelDraft merge(const Family& fam, const std::string& base, const std::string& base_id) {
    static constexpr std::array kMethods = {"slerp"sv, "ties"sv, "dare-ties"sv, "merge"sv,
                                            "passthrough"sv};
    ModelDraft d;
    d.name = dashed(base, rng.pick(kMethods));
    d.base_models = {base_id, base_id + "-Instruct"};
    d.card_library = "transformers";
    d.card_pipeline = fam.def->pipeline_tag;
    d.card_tags = {"mergekit", "merge"};
    add_weights(d, fam);
    return d;
  }

  ModelDraft mlx(const Family& fam, const std::string& base, const std::string& base_id) {
    static constexpr std::array kEnds = {"4bit"sv, "8bit"sv, "bf16"sv};
    ModelDraft d;
    d.name = dashed(base, rng.pick(kEnds));
    d.base_models = {base_id};
    d.card_library = "mlx";
    d.card_pipeline = fam.def->pipeline_tag;
    d.card_tags = {"mlx"};
    add_weights(d, fam);
    return d;
  }

  ModelDraft onnx(const Family& fam, const std::string& base, const std::string& base_id) {
    ModelDraft d;
    d.name = dashed(base, rng.chance(0.5) ? "onnx" : "ONNX");
    d.base_models = {base_id};
    d.card_library = "transformers.js";
    d.card_pipeline = fam.def->pipeline_tag;
    d.file("onnx/model.onnx", "onnx");
    d.file("onnx/model_quantized.onnx", "onnx");
    if (!fam.def->model_type.empty()) {
      d.file("config.json");
      d.model_type = fam.def->model_type;
      d.architecture = fam.def->architecture;
    }
    return d;
  }

  ModelDraft family_model() {
    const Family& fam = families[weighted(rng, family_weights)];
    std::string base = dashed(rng.pick(fam.stems), fam.sizes.empty() ? "" : rng.pick(fam.sizes));
    std::string org(fam.def->org);
    std::string base_id = org + "/" + base;
    double kind = rng.unit();
    ModelDraft d;
    if (fam.def->causal_lm && kind < 0.10)
      d = gguf(fam, base, org);
    else if (fam.def->causal_lm && kind < 0.13)
      d = quantized(fam, base, org);
    else if (fam.def->causal_lm && kind < 0.23)
      d = adapter(fam, base, base_id);
    else if (fam.def->causal_lm && kind < 0.26)
      d = merge(fam, base, base_id);
    else if (fam.def->causal_lm && kind < 0.28)
      d = mlx(fam, base, base_id);
    else if (!fam.def->causal_lm && kind < 0.03)
      d = onnx(fam, base, base_id);
    else
      d = finetune(fam, base, base_id);
    if (rng.chance(0.75))
      d.license = std::string(rng.pick(fam.licenses));
    else if (rng.chance(0.3))
      d.license = common_license();
    return d;
  }

  Made model(storage::RepoRow& row, GeneratedSource& src) {
    double kind = rng.unit();
    ModelDraft d = kind < 0.12 ? scratch_model() : kind < 0.17 ? rl_model() : family_model();
    finish_model(d, row, src);
    return {std::move(d.name), d.appeal};
  }

  // ---- datasets ----

  Made dataset(storage::RepoRow& row, GeneratedSource& src) {
    static constexpr std::array kScratch = {"test"sv,    "my-dataset"sv, "data"sv,
                                            "dataset"sv, "train-data"sv, "sample-data"sv};
    static constexpr std::array kFormatWeights = {55, 20, 12, 4, 3, 3, 3};
    Made made;
    const DatasetTopic& topic = rng.pick(dataset_topics());
    std::vector<std::string> langs;
    if (rng.chance(0.07)) {
      made.name = std::string(rng.pick(kScratch));
      made.appeal = 0.05;
    } else {
      made.name =
          rng.chance(0.15) ? dashed(rng.pick(handle_words()), topic.name) : std::string(topic.name);
      for (int i = 0, n = static_cast<int>(rng.below(3)); i < n; ++i) {
        auto q = rng.pick(dataset_qualifiers());
        made.name = dashed(made.name, q);
        if (is_iso639_1(q) && std::find(langs.begin(), langs.end(), q) == langs.end())
          langs.emplace_back(q);
      }
    }
    TagList tags;
    if (rng.chance(0.75)) {
      if (langs.empty() && rng.chance(0.55)) langs.push_back(language());
      if (rng.chance(0.1) && langs.size() == 1 && langs[0] != "fr") langs.emplace_back("fr");
      JsonObject card;
      if (!langs.empty()) card.strings("language", langs);
      for (const auto& l : langs) tags.add("language:", l);
      if (rng.chance(0.65)) {
        auto license = common_license();
        card.string("license", license);
        tags.add("license:", license);
      }
      auto listed = [&](std::string_view key, std::string value) {
        card.strings(key, {value});
        tags.add(std::string(key) + ":", value);
      };
      if (rng.chance(0.1))
        listed("multilinguality", langs.size() > 1 ? "multilingual" : "monolingual");
      if (rng.chance(0.1)) card.string("pretty_name", made.name);
      if (rng.chance(0.65)) {
        static constexpr std::array kSizeWeights = {35, 30, 20, 10, 4, 1, 0};
        listed("size_categories", std::string(size_categories()[weighted(rng, kSizeWeights)]));
      }
      if (rng.chance(0.7)) listed("task_categories", std::string(topic.task));
      if (topic.task == "text-classification"sv && rng.chance(0.3))
        listed("task_ids",
               rng.chance(0.6) ? "sentiment-classification" : "multi-class-classification");
      if (rng.chance(0.3)) {
        std::vector<std::string> own = {std::string(rng.pick(dataset_card_tags()))};
        card.strings("tags", own);
        tags.add(own[0]);
      }
      row.card_data = std::move(card).finish();
    }
    src.files = {"README.md"};
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kFormats = {
        {{"data/train-00000-of-00001.parquet", "parquet"},
         {"train.jsonl", "json"},
         {"data.csv", "csv"},
         {"train.txt", "text"},
         {"data-00000-of-00001.arrow", "arrow"},
         {"shard-000000.tar", "webdataset"},
         {"", ""}}};
    const auto& [file, format] = kFormats[weighted(rng, kFormatWeights)];
    if (!file.empty()) src.files.emplace_back(file);
    if (!format.empty()) tags.add("format:", format);
    row.tags = std::move(tags).json();
    return made;
  }

  // ---- spaces ----

  Made space(storage::RepoRow& row, GeneratedSource& src) {
    static constexpr std::array kSdks = {"gradio"sv, "streamlit"sv, "docker"sv, "static"sv};
    static constexpr std::array kSdkWeights = {68, 14, 13, 5};
    static constexpr std::array kDemoWords = {"demo"sv, "chat"sv, "playground"sv, "webui"sv,
                                              "space"sv};
    Made made;
    double kind = rng.unit();
    if (kind < 0.3) {
      const Family& fam = families[weighted(rng, family_weights)];
      made.name = dashed(lower(std::string(rng.pick(fam.stems))), rng.pick(kDemoWords));
    } else if (kind < 0.8) {
      made.name = std::string(rng.pick(space_words()));
      if (rng.chance(0.4)) made.name = dashed(made.name, rng.pick(space_words()));
    } else {
      made.name = dashed(rng.pick(first_names()), rng.pick(space_words()));
    }
    std::string_view sdk = kSdks[weighted(rng, kSdkWeights)];
    std::string title = made.name;
    for (auto& c : title)
      if (c == '-' || c == '_') c = ' ';
    JsonObject card;
    card.string("title", title);
    card.string("emoji", rng.pick(space_emojis()));
    card.string("colorFrom", rng.pick(space_colors()));
    card.string("colorTo", rng.pick(space_colors()));
    card.string("sdk", sdk);
    if (sdk == "gradio") card.string("sdk_version", rng.chance(0.6) ? "5.9.1" : "4.44.1");
    if (sdk == "streamlit") card.string("sdk_version", "1.41.1");
    if (sdk == "gradio" || sdk == "streamlit") card.string("app_file", "app.py");
    card.raw("pinned", "false");
    TagList tags;
    tags.add(sdk);
    if (rng.chance(0.4)) {
      auto license = common_license();
      card.string("license", license);
      tags.add("license:", license);
    }
    if (rng.chance(0.3)) card.string("short_description", "A demo of " + title);
    if (rng.chance(0.1)) {
      std::vector<std::string> own = {std::string(rng.pick(space_card_tags()))};
      card.strings("tags", own);
      tags.add(own[0]);
    }
    row.card_data = std::move(card).finish();
    row.tags = std::move(tags).json();
    row.sdk = std::string(sdk);
    src.files = {"README.md"};
    if (sdk == "docker")
      src.files.emplace_back("Dockerfile");
    else if (sdk == "static")
      src.files.emplace_back("index.html");
    else
      src.files.insert(src.files.end(), {"app.py", "requirements.txt"});
    return made;
  }
};

RowMaker::RowMaker(Rng& rng) : impl_(std::make_unique<Impl>(rng)) {}
RowMaker::~RowMaker() = default;

Made RowMaker::make(RepoType type, storage::RepoRow& row, GeneratedSource& source) {
  switch (type) {
    case RepoType::Model:
      return impl_->model(row, source);
    case RepoType::Dataset:
      return impl_->dataset(row, source);
    case RepoType::Space:
      return impl_->space(row, source);
  }
  return {};
}

}  // namespace wharf::hub::catalog_rows
