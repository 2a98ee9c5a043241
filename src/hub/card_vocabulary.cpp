#include "hub/card_vocabulary.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace wharf::hub {
namespace {

using std::string_view_literals::operator""sv;

// The Hub's "Licenses" page (hub-docs repositories-licenses.md), plus the model-family
// licenses the Hub added later (Llama 3.x/4, Apple, Intel). Keep sorted (checked below).
constexpr std::array kLicenses = {
    "afl-3.0"sv,
    "agpl-3.0"sv,
    "apache-2.0"sv,
    "apple-amlr"sv,
    "apple-ascl"sv,
    "artistic-2.0"sv,
    "bigcode-openrail-m"sv,
    "bigscience-bloom-rail-1.0"sv,
    "bigscience-openrail-m"sv,
    "bsd"sv,
    "bsd-2-clause"sv,
    "bsd-3-clause"sv,
    "bsd-3-clause-clear"sv,
    "bsl-1.0"sv,
    "c-uda"sv,
    "cc"sv,
    "cc-by-2.0"sv,
    "cc-by-2.5"sv,
    "cc-by-3.0"sv,
    "cc-by-4.0"sv,
    "cc-by-nc-2.0"sv,
    "cc-by-nc-3.0"sv,
    "cc-by-nc-4.0"sv,
    "cc-by-nc-nd-3.0"sv,
    "cc-by-nc-nd-4.0"sv,
    "cc-by-nc-sa-2.0"sv,
    "cc-by-nc-sa-3.0"sv,
    "cc-by-nc-sa-4.0"sv,
    "cc-by-nd-4.0"sv,
    "cc-by-sa-3.0"sv,
    "cc-by-sa-4.0"sv,
    "cc0-1.0"sv,
    "cdla-permissive-1.0"sv,
    "cdla-permissive-2.0"sv,
    "cdla-sharing-1.0"sv,
    "creativeml-openrail-m"sv,
    "deepfloyd-if-license"sv,
    "ecl-2.0"sv,
    "epl-1.0"sv,
    "epl-2.0"sv,
    "etalab-2.0"sv,
    "eupl-1.1"sv,
    "gemma"sv,
    "gfdl"sv,
    "gpl"sv,
    "gpl-2.0"sv,
    "gpl-3.0"sv,
    "intel-research"sv,
    "isc"sv,
    "lgpl"sv,
    "lgpl-2.1"sv,
    "lgpl-3.0"sv,
    "lgpl-lr"sv,
    "llama2"sv,
    "llama3"sv,
    "llama3.1"sv,
    "llama3.2"sv,
    "llama3.3"sv,
    "llama4"sv,
    "lppl-1.3c"sv,
    "mit"sv,
    "mpl-2.0"sv,
    "ms-pl"sv,
    "ncsa"sv,
    "odbl"sv,
    "odc-by"sv,
    "ofl-1.1"sv,
    "openrail"sv,
    "openrail++"sv,
    "osl-3.0"sv,
    "other"sv,
    "pddl"sv,
    "postgresql"sv,
    "unknown"sv,
    "unlicense"sv,
    "wtfpl"sv,
    "zlib"sv,
};

// The pipeline types of huggingface.js packages/tasks (pipelines.ts).
constexpr std::array kPipelineTags = {
    "any-to-any"sv,
    "audio-classification"sv,
    "audio-text-to-text"sv,
    "audio-to-audio"sv,
    "automatic-speech-recognition"sv,
    "biology"sv,
    "depth-estimation"sv,
    "document-question-answering"sv,
    "feature-extraction"sv,
    "fill-mask"sv,
    "graph-ml"sv,
    "image-classification"sv,
    "image-feature-extraction"sv,
    "image-segmentation"sv,
    "image-text-to-text"sv,
    "image-to-3d"sv,
    "image-to-image"sv,
    "image-to-text"sv,
    "image-to-video"sv,
    "keypoint-detection"sv,
    "mask-generation"sv,
    "multiple-choice"sv,
    "object-detection"sv,
    "other"sv,
    "question-answering"sv,
    "reinforcement-learning"sv,
    "robotics"sv,
    "sentence-similarity"sv,
    "summarization"sv,
    "table-question-answering"sv,
    "table-to-text"sv,
    "tabular-classification"sv,
    "tabular-regression"sv,
    "tabular-to-text"sv,
    "text-classification"sv,
    "text-generation"sv,
    "text-ranking"sv,
    "text-retrieval"sv,
    "text-to-3d"sv,
    "text-to-audio"sv,
    "text-to-image"sv,
    "text-to-speech"sv,
    "text-to-video"sv,
    "text2text-generation"sv,
    "time-series-forecasting"sv,
    "token-classification"sv,
    "translation"sv,
    "unconditional-image-generation"sv,
    "video-classification"sv,
    "video-text-to-text"sv,
    "visual-document-retrieval"sv,
    "visual-question-answering"sv,
    "voice-activity-detection"sv,
    "zero-shot-classification"sv,
    "zero-shot-image-classification"sv,
    "zero-shot-object-detection"sv,
};

// The most used keys of huggingface.js model-libraries.ts (the library_name values).
constexpr std::array kLibraries = {
    "adapter-transformers"sv,
    "allennlp"sv,
    "asteroid"sv,
    "audiocraft"sv,
    "bertopic"sv,
    "chronos-forecasting"sv,
    "diffusers"sv,
    "doctr"sv,
    "espnet"sv,
    "fairseq"sv,
    "fastai"sv,
    "fasttext"sv,
    "flair"sv,
    "gguf"sv,
    "gliner"sv,
    "k2"sv,
    "keras"sv,
    "keras-hub"sv,
    "ml-agents"sv,
    "mlx"sv,
    "model2vec"sv,
    "nemo"sv,
    "onnx"sv,
    "open_clip"sv,
    "openvino"sv,
    "paddlenlp"sv,
    "peft"sv,
    "pyannote-audio"sv,
    "sample-factory"sv,
    "sentence-transformers"sv,
    "setfit"sv,
    "sklearn"sv,
    "spacy"sv,
    "span-marker"sv,
    "speechbrain"sv,
    "stable-baselines3"sv,
    "tensorflowtts"sv,
    "tf-keras"sv,
    "timm"sv,
    "transformers"sv,
    "transformers.js"sv,
    "unity-sentis"sv,
};

// ISO 639-1 (two-letter) language codes.
constexpr std::array kIso639_1 = {
    "aa"sv, "ab"sv, "ae"sv, "af"sv, "ak"sv, "am"sv, "an"sv, "ar"sv, "as"sv, "av"sv, "ay"sv, "az"sv,
    "ba"sv, "be"sv, "bg"sv, "bh"sv, "bi"sv, "bm"sv, "bn"sv, "bo"sv, "br"sv, "bs"sv, "ca"sv, "ce"sv,
    "ch"sv, "co"sv, "cr"sv, "cs"sv, "cu"sv, "cv"sv, "cy"sv, "da"sv, "de"sv, "dv"sv, "dz"sv, "ee"sv,
    "el"sv, "en"sv, "eo"sv, "es"sv, "et"sv, "eu"sv, "fa"sv, "ff"sv, "fi"sv, "fj"sv, "fo"sv, "fr"sv,
    "fy"sv, "ga"sv, "gd"sv, "gl"sv, "gn"sv, "gu"sv, "gv"sv, "ha"sv, "he"sv, "hi"sv, "ho"sv, "hr"sv,
    "ht"sv, "hu"sv, "hy"sv, "hz"sv, "ia"sv, "id"sv, "ie"sv, "ig"sv, "ii"sv, "ik"sv, "io"sv, "is"sv,
    "it"sv, "iu"sv, "ja"sv, "jv"sv, "ka"sv, "kg"sv, "ki"sv, "kj"sv, "kk"sv, "kl"sv, "km"sv, "kn"sv,
    "ko"sv, "kr"sv, "ks"sv, "ku"sv, "kv"sv, "kw"sv, "ky"sv, "la"sv, "lb"sv, "lg"sv, "li"sv, "ln"sv,
    "lo"sv, "lt"sv, "lu"sv, "lv"sv, "mg"sv, "mh"sv, "mi"sv, "mk"sv, "ml"sv, "mn"sv, "mr"sv, "ms"sv,
    "mt"sv, "my"sv, "na"sv, "nb"sv, "nd"sv, "ne"sv, "ng"sv, "nl"sv, "nn"sv, "no"sv, "nr"sv, "nv"sv,
    "ny"sv, "oc"sv, "oj"sv, "om"sv, "or"sv, "os"sv, "pa"sv, "pi"sv, "pl"sv, "ps"sv, "pt"sv, "qu"sv,
    "rm"sv, "rn"sv, "ro"sv, "ru"sv, "rw"sv, "sa"sv, "sc"sv, "sd"sv, "se"sv, "sg"sv, "si"sv, "sk"sv,
    "sl"sv, "sm"sv, "sn"sv, "so"sv, "sq"sv, "sr"sv, "ss"sv, "st"sv, "su"sv, "sv"sv, "sw"sv, "ta"sv,
    "te"sv, "tg"sv, "th"sv, "ti"sv, "tk"sv, "tl"sv, "tn"sv, "to"sv, "tr"sv, "ts"sv, "tt"sv, "tw"sv,
    "ty"sv, "ug"sv, "uk"sv, "ur"sv, "uz"sv, "ve"sv, "vi"sv, "vo"sv, "wa"sv, "wo"sv, "xh"sv, "yi"sv,
    "yo"sv, "za"sv, "zh"sv, "zu"sv,
};

static_assert(std::ranges::is_sorted(kLicenses));
static_assert(std::ranges::adjacent_find(kLicenses) == kLicenses.end());
static_assert(std::ranges::is_sorted(kPipelineTags));
static_assert(std::ranges::adjacent_find(kPipelineTags) == kPipelineTags.end());
static_assert(std::ranges::is_sorted(kLibraries));
static_assert(std::ranges::adjacent_find(kLibraries) == kLibraries.end());
static_assert(std::ranges::is_sorted(kIso639_1));
static_assert(std::ranges::adjacent_find(kIso639_1) == kIso639_1.end());

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& table, std::string_view key) {
  return std::ranges::binary_search(table, key);
}

bool all_of_class(std::string_view s, int (*pred)(int)) {
  return std::ranges::all_of(s,
                             [pred](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// One BCP 47 subtag after the language, in canonical case; nullopt when malformed.
std::optional<std::string> canonical_subtag(std::string_view sub) {
  if (sub.empty() || sub.size() > 8 || !all_of_class(sub, std::isalnum)) return std::nullopt;
  bool alpha = all_of_class(sub, std::isalpha);
  if (alpha && sub.size() == 4) return upper(sub.substr(0, 1)) + lower(sub.substr(1));  // script
  if (alpha && sub.size() == 2) return upper(sub);                                      // region
  return lower(sub);  // numeric region (419), variants, extensions
}

}  // namespace

bool is_known_license(std::string_view id) { return contains(kLicenses, id); }
std::span<const std::string_view> known_licenses() { return kLicenses; }

bool is_known_pipeline_tag(std::string_view tag) { return contains(kPipelineTags, tag); }
std::span<const std::string_view> known_pipeline_tags() { return kPipelineTags; }

bool is_known_library(std::string_view name) { return contains(kLibraries, name); }
std::span<const std::string_view> known_libraries() { return kLibraries; }

bool is_iso639_1(std::string_view code) { return contains(kIso639_1, code); }

std::optional<std::string> normalize_language(std::string_view code) {
  code = trim(code);
  if (code.empty() || code.size() > 64) return std::nullopt;
  if (lower(code) == "multilingual") return "multilingual";
  auto dash = code.find('-');
  std::string primary = lower(code.substr(0, dash));
  if (!all_of_class(primary, std::isalpha)) return std::nullopt;
  if (!(primary.size() == 2 && is_iso639_1(primary)) && primary.size() != 3) return std::nullopt;
  std::string out = primary;
  while (dash != std::string_view::npos) {
    auto next = code.find('-', dash + 1);
    auto sub = canonical_subtag(
        code.substr(dash + 1, next == std::string_view::npos ? next : next - dash - 1));
    if (!sub) return std::nullopt;
    out += '-';
    out += *sub;
    dash = next;
  }
  return out;
}

}  // namespace wharf::hub
