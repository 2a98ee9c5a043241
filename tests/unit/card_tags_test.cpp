#include "hub/card_tags.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "hub/front_matter.h"

namespace wharf::hub {
namespace {

using nlohmann::json;
using Files = std::vector<std::string>;

// The card data of a README, as the indexer gets it.
json card(std::string_view readme) {
  auto r = parse_card_data(readme);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : json::object();
}

bool has_tag(const DerivedCard& d, std::string_view t) {
  return std::ranges::find(d.tags, t) != d.tags.end();
}

void expect_tags(const DerivedCard& d, std::initializer_list<std::string_view> want) {
  for (auto t : want) EXPECT_TRUE(has_tag(d, t)) << "missing tag " << t;
}

void expect_no_tags(const DerivedCard& d, std::initializer_list<std::string_view> unwanted) {
  for (auto t : unwanted) EXPECT_FALSE(has_tag(d, t)) << "unexpected tag " << t;
}

void expect_sorted_unique(const DerivedCard& d) {
  EXPECT_TRUE(std::ranges::is_sorted(d.tags));
  EXPECT_EQ(std::ranges::adjacent_find(d.tags), d.tags.end());
}

// ---- models ----

constexpr std::string_view kClassifierCard = R"(---
language:
- en
license: apache-2.0
tags:
- generated_from_trainer
- sentiment
datasets:
- stanfordnlp/imdb
metrics:
- accuracy
base_model: distilbert/distilbert-base-uncased
model-index:
- name: my-imdb-classifier
  results:
  - task:
      type: text-classification
      name: Text Classification
    dataset:
      name: imdb
      type: stanfordnlp/imdb
      config: plain_text
      split: test
      args: plain_text
    metrics:
    - type: accuracy
      value: 0.9312
      name: Accuracy
    - type: f1
      value: 0.93
  - task:
      type: text-classification
    dataset:
      type: yelp_polarity
    metrics:
    - name: no type here
      value: 1
---
# my-imdb-classifier
)";

TEST(DeriveCard, TransformersClassifierWithModelIndex) {
  json config = {{"architectures", {"DistilBertForSequenceClassification"}},
                 {"model_type", "distilbert"}};
  auto d = derive_card(
      card(kClassifierCard),
      {"README.md", "config.json", "model.safetensors", "tokenizer.json", "training_args.bin",
       "runs/Jan01_00-00-00/events.out.tfevents.1700000000.host.1.0"},
      "model", config);
  expect_sorted_unique(d);
  expect_tags(d, {"transformers", "safetensors", "tensorboard", "distilbert", "text-classification",
                  "generated_from_trainer", "sentiment", "en", "license:apache-2.0",
                  "dataset:stanfordnlp/imdb", "base_model:distilbert/distilbert-base-uncased",
                  "base_model:finetune:distilbert/distilbert-base-uncased", "model-index"});
  expect_no_tags(
      d, {"pytorch", "DistilBertForSequenceClassification", "region:us", "endpoints_compatible"});
  EXPECT_EQ(d.library_name, "transformers");
  EXPECT_EQ(d.pipeline_tag, "text-classification");  // inferred from the architecture
  EXPECT_EQ(d.license, "apache-2.0");
  EXPECT_EQ(d.languages, std::vector<std::string>{"en"});
  EXPECT_EQ(d.datasets, std::vector<std::string>{"stanfordnlp/imdb"});
  ASSERT_EQ(d.base_models.size(), 1u);
  EXPECT_EQ(d.base_models[0], std::make_pair(std::string("distilbert/distilbert-base-uncased"),
                                             std::string("finetune")));

  // The second result has no valid metric and is skipped; the first is flattened.
  ASSERT_EQ(d.eval_results.size(), 1u);
  EXPECT_EQ(d.eval_results[0], json::parse(R"({
    "task": {"type": "text-classification", "name": "Text Classification"},
    "dataset": {"type": "stanfordnlp/imdb", "name": "imdb", "config": "plain_text", "split": "test"},
    "metrics": [{"type": "accuracy", "value": 0.9312, "name": "Accuracy"}, {"type": "f1", "value": 0.93}]})"));
}

TEST(DeriveCard, PipelineTagFromTheCardWinsOverInference) {
  json config = {{"architectures", {"BertForMaskedLM"}}, {"model_type", "bert"}};
  auto d = derive_card(card("---\npipeline_tag: feature-extraction\n---\n"), {"config.json"},
                       "model", config);
  EXPECT_EQ(d.pipeline_tag, "feature-extraction");
  expect_tags(d, {"feature-extraction", "bert", "transformers"});
  expect_no_tags(d, {"fill-mask"});
}

TEST(DeriveCard, PipelineTagIsInferredOnlyWhenUnambiguous) {
  auto infer = [](json config) {
    return derive_card(json::object(), {"config.json"}, "model", config).pipeline_tag;
  };
  EXPECT_EQ(infer({{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"}}),
            "text-generation");
  EXPECT_EQ(infer({{"architectures", {"GPT2LMHeadModel"}}}), "text-generation");
  EXPECT_EQ(infer({{"architectures", {"BertForMaskedLM"}}}), "fill-mask");
  EXPECT_EQ(infer({{"architectures", {"T5ForSeq2SeqLM"}}}), "text2text-generation");
  EXPECT_EQ(infer({{"architectures", {"Wav2Vec2ForCTC"}}}), "automatic-speech-recognition");
  EXPECT_EQ(
      infer({{"architectures", {"WhisperForConditionalGeneration"}}, {"model_type", "whisper"}}),
      "automatic-speech-recognition");
  EXPECT_EQ(
      infer({{"architectures", {"Wav2Vec2ForSequenceClassification"}}, {"model_type", "wav2vec2"}}),
      "audio-classification");
  EXPECT_EQ(infer({{"architectures", {"ViTForImageClassification"}}}), "image-classification");
  // A conditional-generation model can be many tasks; base models and mixed heads say nothing.
  EXPECT_EQ(infer({{"architectures", {"LlavaForConditionalGeneration"}}, {"model_type", "llava"}}),
            "");
  EXPECT_EQ(infer({{"architectures", {"BertModel"}}}), "");
  EXPECT_EQ(infer({{"architectures", {"BertForMaskedLM", "BertForSequenceClassification"}}}), "");
  EXPECT_EQ(infer({{"architectures", json::array()}}), "");
  EXPECT_EQ(infer({{"architectures", {42}}}), "");
  // An unknown pipeline tag in the card is not used.
  auto d = derive_card(card("---\npipeline_tag: magic\n---\n"), {}, "model", std::nullopt);
  EXPECT_EQ(d.pipeline_tag, "");
  expect_no_tags(d, {"magic"});
}

TEST(DeriveCard, LoraAdapterWithBaseModel) {
  auto d = derive_card(
      card(R"(---
base_model: meta-llama/Llama-3.1-8B-Instruct
library_name: peft
license: llama3.1
tags:
- lora
- trl
- sft
---
)"),
      {"README.md", "adapter_config.json", "adapter_model.safetensors", "tokenizer.json"}, "model",
      std::nullopt);
  expect_sorted_unique(d);
  expect_tags(d, {"peft", "safetensors", "lora", "trl", "sft", "license:llama3.1",
                  "base_model:meta-llama/Llama-3.1-8B-Instruct",
                  "base_model:adapter:meta-llama/Llama-3.1-8B-Instruct"});
  expect_no_tags(d, {"base_model:finetune:meta-llama/Llama-3.1-8B-Instruct", "transformers"});
  EXPECT_EQ(d.library_name, "peft");
  ASSERT_EQ(d.base_models.size(), 1u);
  EXPECT_EQ(d.base_models[0].second, "adapter");
}

TEST(DeriveCard, AdapterLibraryIsInferredFromTheFiles) {
  auto d = derive_card(card("---\nbase_model: org/base\n---\n"),
                       {"adapter_config.json", "adapter_model.bin"}, "model", std::nullopt);
  EXPECT_EQ(d.library_name, "peft");
  expect_tags(d, {"peft", "base_model:adapter:org/base"});
}

TEST(DeriveCard, GgufQuantization) {
  auto d =
      derive_card(card(R"(---
base_model:
- acme/Chat-7B
license: mit
language: [en, fr, de]
pipeline_tag: text-generation
tags: [llama-cpp, gguf-my-repo]
quantized_by: someone
---
)"),
                  {"README.md", "chat-7b.Q4_K_M.gguf", "chat-7b.Q8_0.gguf", "chat-7b.f16.gguf"},
                  "model", std::nullopt);
  expect_sorted_unique(d);
  expect_tags(d, {"gguf", "text-generation", "llama-cpp", "gguf-my-repo", "en", "fr", "de",
                  "license:mit", "base_model:acme/Chat-7B", "base_model:quantized:acme/Chat-7B"});
  EXPECT_EQ(d.library_name, "gguf");
  EXPECT_EQ(d.languages, (std::vector<std::string>{"en", "fr", "de"}));
  EXPECT_EQ(d.base_models[0].second, "quantized");
}

TEST(DeriveCard, QuantizationConfigMakesAQuantizedModelWithItsMethodAndBits) {
  json config = {
      {"architectures", {"MistralForCausalLM"}},
      {"model_type", "mistral"},
      {"quantization_config", {{"quant_method", "gptq"}, {"bits", 4}, {"group_size", 128}}}};
  auto d = derive_card(card("---\nbase_model: acme/Mistral-Base\n---\n"),
                       {"config.json", "model.safetensors"}, "model", config);
  expect_tags(d, {"transformers", "mistral", "gptq", "4-bit", "text-generation",
                  "base_model:quantized:acme/Mistral-Base"});
  json bnb = {{"model_type", "llama"},
              {"quantization_config", {{"quant_method", "bitsandbytes"}, {"load_in_8bit", true}}}};
  auto b = derive_card(json::object(), {"config.json"}, "model", bnb);
  expect_tags(b, {"bitsandbytes", "8-bit", "llama"});
  expect_no_tags(b, {"4-bit"});
}

TEST(DeriveCard, MergeOfTwoBaseModels) {
  auto d = derive_card(
      card(R"(---
base_model:
- acme/Model-A-7B
- other-org/Model-B-7B
library_name: transformers
tags: [mergekit, merge]
---
)"),
      {"config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
       "model.safetensors.index.json", "mergekit_config.yml"},
      "model", json{{"architectures", {"MistralForCausalLM"}}, {"model_type", "mistral"}});
  expect_tags(
      d, {"mergekit", "merge", "base_model:acme/Model-A-7B", "base_model:merge:acme/Model-A-7B",
          "base_model:other-org/Model-B-7B", "base_model:merge:other-org/Model-B-7B"});
  ASSERT_EQ(d.base_models.size(), 2u);
  EXPECT_EQ(d.base_models[1],
            std::make_pair(std::string("other-org/Model-B-7B"), std::string("merge")));
}

TEST(DeriveCard, ExplicitBaseModelRelationWins) {
  auto d = derive_card(card("---\nbase_model: [a/x, b/y]\nbase_model_relation: finetune\n---\n"),
                       {}, "model", std::nullopt);
  expect_tags(d, {"base_model:finetune:a/x", "base_model:finetune:b/y"});
  expect_no_tags(d, {"base_model:merge:a/x"});
  // An unknown relation falls back to inference.
  auto q = derive_card(card("---\nbase_model: a/x\nbase_model_relation: distilled\n---\n"),
                       {"m.gguf"}, "model", std::nullopt);
  expect_tags(q, {"base_model:quantized:a/x"});
}

TEST(DeriveCard, FileFormatTags) {
  auto d = derive_card(
      json::object(),
      {"pytorch_model.bin", "tf_model.h5", "flax_model.msgpack", "onnx/model.onnx", "rust_model.ot",
       "coreml/model.mlpackage/Data/weights.bin", "model.tflite", "ckpt.pt"},
      "model", std::nullopt);
  expect_tags(d, {"pytorch", "tf", "jax", "onnx", "rust", "coreml", "tflite"});
  expect_no_tags(d, {"safetensors", "gguf", "tensorboard"});
  EXPECT_EQ(d.library_name, "onnx");
}

TEST(DeriveCard, LibraryIsInferredFromMarkerFiles) {
  auto lib = [](Files files, std::optional<json> config = std::nullopt) {
    return derive_card(json::object(), files, "model", config).library_name;
  };
  EXPECT_EQ(lib({"model_index.json", "unet/diffusion_pytorch_model.safetensors"}), "diffusers");
  EXPECT_EQ(lib({"modules.json", "config_sentence_transformers.json", "config.json"},
                json{{"architectures", {"BertModel"}}}),
            "sentence-transformers");
  EXPECT_EQ(lib({"config.json", "model.safetensors"},
                json{{"architecture", "resnet50"}, {"pretrained_cfg", {}}}),
            "timm");
  EXPECT_EQ(lib({"config.json"}, json{{"model_type", "bert"}}), "transformers");
  EXPECT_EQ(lib({"config.json"}, json{{"hidden_size", 3}}), "");  // not a transformers config
  EXPECT_EQ(lib({"weights/model.gguf"}), "gguf");
  EXPECT_EQ(lib({"README.md", ".gitattributes"}), "");
  auto st = derive_card(json::object(), {"modules.json"}, "model", std::nullopt);
  EXPECT_EQ(st.pipeline_tag, "sentence-similarity");
}

TEST(DeriveCard, LicenseOtherAndUnknownLicenses) {
  auto d = derive_card(
      card("---\nlicense: other\nlicense_name: acme-license\nlicense_link: LICENSE\n---\n"), {},
      "model", std::nullopt);
  EXPECT_EQ(d.license, "other");
  expect_tags(d, {"license:other"});
  auto u = derive_card(card("---\nlicense: my-own-license\n---\n"), {}, "model", std::nullopt);
  EXPECT_EQ(u.license, "");
  EXPECT_TRUE(u.tags.empty());
  auto upper = derive_card(card("---\nlicense: MIT\n---\n"), {}, "model", std::nullopt);
  EXPECT_EQ(upper.license, "mit");
}

TEST(DeriveCard, LanguagesAreNormalisedAndInvalidOnesDropped) {
  auto d =
      derive_card(card("---\nlanguage: [EN, en, zh-hans, xx-YY, klingon, 42, multilingual]\n---\n"),
                  {}, "model", std::nullopt);
  EXPECT_EQ(d.languages, (std::vector<std::string>{"en", "zh-Hans", "multilingual"}));
  expect_tags(d, {"en", "zh-Hans", "multilingual"});
  expect_no_tags(d, {"EN", "xx-YY", "klingon"});
  auto legacy = derive_card(card("---\nlanguages: fr\n---\n"), {}, "model", std::nullopt);
  EXPECT_EQ(legacy.languages, std::vector<std::string>{"fr"});
}

TEST(DeriveCard, DatasetAndBaseModelIdsMustLookLikeRepoIds) {
  auto d = derive_card(card(R"(---
datasets: ["wikipedia", "org/set", "http://example.com/data", "a b", "x/y/z", "org/set"]
base_model: ["https://huggingface.co/org/m", "org/m"]
---
)"),
                       {}, "model", std::nullopt);
  EXPECT_EQ(d.datasets, (std::vector<std::string>{"wikipedia", "org/set"}));
  expect_tags(
      d, {"dataset:wikipedia", "dataset:org/set", "base_model:org/m", "base_model:finetune:org/m"});
  ASSERT_EQ(d.base_models.size(), 1u);
}

// ---- datasets and Spaces ----

TEST(DeriveCard, DatasetCardGivesPrefixedTags) {
  auto d =
      derive_card(card(R"(---
annotations_creators: [crowdsourced]
language_creators: [found]
language: [en, de]
license: cc-by-sa-4.0
multilinguality: [multilingual]
size_categories: [1K<n<10K]
source_datasets: [original]
task_categories: [text-classification, question-answering]
task_ids: [sentiment-classification]
pretty_name: Reviews
tags: [reviews]
configs:
- config_name: default
  data_files: data/*.parquet
---
)"),
                  {"README.md", ".gitattributes", "data/train-00000-of-00001.parquet",
                   "data/test-00000-of-00001.parquet", "extra/raw.jsonl", "dataset_infos.json"},
                  "dataset", std::nullopt);
  expect_sorted_unique(d);
  expect_tags(d, {"task_categories:text-classification", "task_categories:question-answering",
                  "task_ids:sentiment-classification", "size_categories:1K<n<10K", "language:en",
                  "language:de", "license:cc-by-sa-4.0", "multilinguality:multilingual",
                  "annotations_creators:crowdsourced", "language_creators:found",
                  "source_datasets:original", "format:parquet", "format:json", "reviews"});
  expect_no_tags(d, {"en", "text-classification", "parquet", "library:datasets"});
  EXPECT_EQ(d.license, "cc-by-sa-4.0");
  EXPECT_EQ(d.languages, (std::vector<std::string>{"en", "de"}));
  EXPECT_EQ(d.pipeline_tag, "");
  EXPECT_EQ(d.library_name, "");
}

TEST(DeriveCard, DatasetMetadataJsonIsNotAFormat) {
  auto d = derive_card(json::object(),
                       {"dataset_dict.json", "train/state.json", "train/data-00000.arrow"},
                       "dataset", std::nullopt);
  EXPECT_EQ(d.tags, (std::vector<std::string>{"format:arrow"}));
}

TEST(DeriveCard, SpaceCardGivesSdkAndLicense) {
  auto d = derive_card(
      card("---\ntitle: Demo\nsdk: gradio\nsdk_version: 4.0.0\nlicense: mit\ntags: [demo]\n---\n"),
      {"app.py", "requirements.txt"}, "space", std::nullopt);
  EXPECT_EQ(d.tags, (std::vector<std::string>{"demo", "gradio", "license:mit"}));
}

// ---- junk ----

TEST(DeriveCard, JunkValuesAreIgnoredNotThrown) {
  json junk = json::parse(R"({
    "tags": [{"nested": "map"}, ["list"], 3, null, true, "", "   ", "ok-tag", "bad\u0001control"],
    "license": {"name": "mit"},
    "language": [{"en": true}],
    "datasets": {"a": 1},
    "base_model": 12,
    "pipeline_tag": ["text-generation"],
    "library_name": {"x": 1},
    "model-index": [{"results": [null, 1, "x", {"task": "text", "dataset": [], "metrics": {}}]}, 7, "s"]
  })");
  DerivedCard d;
  EXPECT_NO_THROW(d = derive_card(junk, {"", "/", "//x", "a/"}, "model", json("not an object")));
  EXPECT_EQ(d.tags, std::vector<std::string>{"ok-tag"});
  EXPECT_TRUE(d.eval_results.is_array());
  EXPECT_TRUE(d.eval_results.empty());
  for (const auto& not_a_map : {json(nullptr), json(3), json("text"), json::array({1, 2})})
    EXPECT_NO_THROW(derive_card(not_a_map, {}, "model", std::nullopt));
  EXPECT_NO_THROW(derive_card(json::object(), {}, "unknown-type", std::nullopt));
}

TEST(DeriveCard, TenThousandTagsAreBoundedAndDerivedTagsKept) {
  json tags = json::array();
  for (int i = 0; i < 10000; ++i) tags.push_back("tag-" + std::to_string(i));
  tags.push_back(std::string(201, 'x'));  // too long: dropped
  tags.push_back(std::string(200, 'y'));  // at the limit: kept if there is room
  json c = {{"tags", tags}, {"license", "mit"}, {"pipeline_tag", "text-generation"}};
  auto start = std::chrono::steady_clock::now();
  auto d = derive_card(c, {"model.safetensors"}, "model", std::nullopt);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(d.tags.size(), kMaxCardTags);
  expect_sorted_unique(d);
  expect_tags(d, {"license:mit", "text-generation", "safetensors"});
  for (const auto& t : d.tags) EXPECT_LE(t.size(), kMaxCardTagBytes);
}

TEST(DeriveCard, HugeStringsAndInvalidUtf8AreDropped) {
  std::string huge(1 << 20, 'a');
  json c = {{"tags", {huge, "fine"}}, {"license", huge},  {"base_model", huge},
            {"datasets", huge},       {"language", huge}, {"pipeline_tag", huge},
            {"library_name", huge}};
  auto d = derive_card(c, {}, "model", json{{"model_type", huge}});
  EXPECT_EQ(d.tags, (std::vector<std::string>{
                        "fine", "transformers"}));  // a model_type: a transformers config
  // nlohmann::json holds whatever bytes it was given; the guard drops the ones that are not UTF-8.
  json bad = {{"tags", {std::string("caf\xC3", 4), std::string("\xFF\xFE"), "caf\xC3\xA9"}}};
  auto b = derive_card(bad, {}, "model", std::nullopt);
  EXPECT_EQ(b.tags, std::vector<std::string>{"caf\xC3\xA9"});
}

TEST(DeriveCard, ModelIndexIsBoundedAndTolerant) {
  json results = json::array();
  for (int i = 0; i < 3000; ++i)
    results.push_back(
        {{"task", {{"type", "text-generation"}}},
         {"dataset", {{"type", "ds" + std::to_string(i)}}},
         {"metrics", {{{"type", "acc"}, {"value", i}}, {{"type", "bad"}, {"value", {{"x", 1}}}}}}});
  json c = {{"model-index", {{{"name", "m"}, {"results", results}}}}};
  auto d = derive_card(c, {}, "model", std::nullopt);
  ASSERT_EQ(d.eval_results.size(), kMaxEvalResults);
  // Partial entries are kept: no task name, no dataset name, the metric with a map value dropped.
  EXPECT_EQ(d.eval_results[0],
            json::parse(R"({"task": {"type": "text-generation"}, "dataset": {"type": "ds0"},
                                               "metrics": [{"type": "acc", "value": 0}]})"));
}

// ---- validate_card ----

TEST(ValidateCard, AValidModelCardHasNoMessages) {
  auto r = validate_card(card(kClassifierCard), "model");
  // The second model-index result above lacks a dataset name and a metric type.
  EXPECT_EQ(
      r.errors,
      (std::vector<std::string>{
          "model-index[0].results[1].dataset needs a \"type\" and a \"name\"",
          "model-index[0].results[1].metrics: every metric needs a \"type\" and a \"value\""}));
  EXPECT_TRUE(r.warnings.empty());
  auto ok = validate_card(
      card("---\nlicense: mit\nlanguage: [en, fra, zh-Hans]\npipeline_tag: fill-mask\n"
           "tags: [a]\ndatasets: x/y\nbase_model: [a/b]\nbase_model_relation: adapter\n"
           "some_unknown_field: {nested: [1, 2]}\n---\n"),
      "model");
  EXPECT_TRUE(ok.errors.empty()) << ok.errors.front();
  EXPECT_TRUE(ok.warnings.empty());
}

TEST(ValidateCard, UnknownLicenseIsAnError) {
  auto r = validate_card(card("---\nlicense: my-license\n---\n"), "model");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("\"license\" \"my-license\" is not a known license"),
            std::string::npos);
  EXPECT_NE(r.errors[0].find("apache-2.0, apple-amlr"), std::string::npos);
  EXPECT_NE(r.errors[0].find("or \"other\" with a \"license_name\""), std::string::npos);
  EXPECT_TRUE(validate_card(card("---\nlicense: other\nlicense_name: acme\n---\n"), "model")
                  .errors.empty());
  auto other = validate_card(card("---\nlicense: other\n---\n"), "model");
  EXPECT_TRUE(other.errors.empty());
  EXPECT_EQ(other.warnings.size(), 1u);
  EXPECT_EQ(validate_card(card("---\nlicense: 3\n---\n"), "model").errors,
            std::vector<std::string>{"\"license\" must be a string or a list of strings"});
}

TEST(ValidateCard, BadLanguageCodesAreWarnings) {
  auto r = validate_card(card("---\nlanguage: [en, xx-YY, english]\n---\n"), "model");
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_NE(r.warnings[0].find("\"xx-YY\" is not a valid language code"), std::string::npos);
  EXPECT_NE(r.warnings[1].find("\"english\""), std::string::npos);
  json many = {{"language", json::array()}};
  for (int i = 0; i < 500; ++i) many["language"].push_back("bad_" + std::to_string(i));
  auto m = validate_card(many, "dataset");
  EXPECT_EQ(m.warnings.size(), 11u);  // ten listed, then a count
  EXPECT_EQ(m.warnings.back(), "\"language\": 490 more invalid codes");
}

TEST(ValidateCard, UnknownPipelineTagAndWrongTypesAreErrors) {
  auto r = validate_card(
      card("---\npipeline_tag: magic\ntags: just-a-string\ndatasets: {a: 1}\n"
           "base_model_relation: distilled\nlibrary_name: [x]\nmodel-index: {a: 1}\n---\n"),
      "model");
  EXPECT_EQ(r.errors.size(), 6u);
  auto has = [&r](std::string_view s) {
    return std::ranges::any_of(
        r.errors, [s](const std::string& e) { return e.find(s) != std::string::npos; });
  };
  EXPECT_TRUE(has("\"pipeline_tag\" \"magic\" is not a known pipeline tag"));
  EXPECT_TRUE(has("\"tags\" must be a list of strings"));
  EXPECT_TRUE(has("\"datasets\" must be a string or a list of strings"));
  EXPECT_TRUE(has("\"base_model_relation\" must be one of"));
  EXPECT_TRUE(has("\"library_name\" must be a string"));
  EXPECT_TRUE(has("\"model-index\" must be a list"));
}

TEST(ValidateCard, DatasetAndSpaceFields) {
  auto d =
      validate_card(card("---\ntask_categories: [text-classification, mind-reading]\n"
                         "size_categories: [1K<n<10K, lots]\nlicense: [mit, cc-by-4.0]\n---\n"),
                    "dataset");
  EXPECT_TRUE(d.errors.empty());
  EXPECT_EQ(d.warnings.size(), 2u);
  EXPECT_EQ(validate_card(card("---\nsdk: flask\n---\n"), "space").errors,
            std::vector<std::string>{"\"sdk\" must be one of gradio, streamlit, docker, static"});
  EXPECT_TRUE(
      validate_card(card("---\nsdk: docker\napp_port: 7860\n---\n"), "space").errors.empty());
}

TEST(ValidateCard, JunkGivesBoundedMessagesAndQuotesSafely) {
  EXPECT_EQ(validate_card(json::array(), "model").errors,
            std::vector<std::string>{"The metadata must be a YAML mapping"});
  EXPECT_TRUE(validate_card(json(nullptr), "model").errors.empty());
  json c = {{"license", std::string(100000, 'z')}, {"pipeline_tag", "a\nb"}};
  auto r = validate_card(c, "model");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_LT(r.errors[0].size(), 2000u);
  EXPECT_NE(r.errors[1].find("\"a?b\""), std::string::npos);
  json mi = json::array();
  for (int i = 0; i < 1000; ++i) mi.push_back({{"results", json::array({1, 2, 3})}});
  auto m = validate_card(json{{"model-index", mi}}, "model");
  EXPECT_LE(m.errors.size(), 50u);
}

}  // namespace
}  // namespace wharf::hub
