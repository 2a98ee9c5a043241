// counts_as_download (hub/downloads.h): which file requests the Hub counts as a download.
//
// The per-library query files are those the Hub lists in huggingface.js
// (packages/tasks/src/model-libraries.ts, `countDownloads`), written here in a small
// notation of our own: alternatives separated by " | ", each a conjunction of terms joined by
// " & ". Terms:
//   path=X    the repo path is exactly X              (the Hub's path:"X")
//   ext=X     the file name's extension is X          (path_extension:"X"; any directory)
//   name=X    the file name without its extension     (path_filename:"X"; any directory)
//   prefix=X  the repo path starts with X             (path_prefix:"X")
//   nested    the file is inside a directory          (_exists_:"path_prefix")
//   top       the file is at the top level            (the diffusers rule's [^/]* regexps)
// Libraries without an entry use kDefault. Every *.gguf counts for every library.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "hub/downloads.h"

namespace wharf::hub {
namespace {

constexpr std::string_view kDefault =
    "path=config.json | path=config.yaml | path=hyperparams.yaml | path=params.json | "
    "path=meta.yaml";

struct LibraryRule {
  std::string_view library, query;
};

// The libraries the Hub lists with their own query files (the widely used ones, and every
// one whose rule is a common file type); others fall back to kDefault, as on the Hub.
constexpr LibraryRule kLibraryRules[] = {
    {"adapter-transformers", "path=adapter_config.json"},
    {"anemoi", "ext=ckpt"},
    {"asteroid", "path=pytorch_model.bin"},
    {"audiocraft", "path=state_dict.bin"},
    {"audioseal", "ext=pth"},
    {"big_vision", "ext=npz"},
    {"bm25s", "path=params.index.json"},
    {"colpali", "path=adapter_config.json"},
    {"comet", "path=hparams.yaml"},
    {"cosmos", "path=config.json | ext=pt"},
    {"depth-anything-v2", "ext=pth"},
    {"depth-pro", "ext=pt"},
    // The Hub's internal rule, quoted in models-download-stats.md.
    {"diffusers", "path=model_index.json | top & ext=safetensors | top & ext=ckpt | top & ext=bin"},
    {"diffusion-single-file", "ext=safetensors"},
    {"edsnlp", "name=config & ext=cfg"},
    {"f5-tts", "ext=safetensors | ext=pt"},
    {"fasttext", "ext=bin"},
    {"flair", "path=pytorch_model.bin"},
    {"gemma.cpp", "ext=sbs"},
    {"gliner", "path=gliner_config.json"},
    {"keras", "path=config.json | ext=keras"},
    {"kernels", "name=_ops & ext=py"},
    {"litert", "ext=tflite"},
    {"mitie", "name=total_word_feature_extractor"},
    {"ml-agents", "ext=onnx"},
    {"mlc-llm", "path=mlc-chat-config.json"},
    {"mlx-image", "path=model.safetensors"},
    {"nemo", "ext=nemo | path=model_config.yaml | ext=json"},
    {"open_clip",
     "path=open_clip_model.safetensors | path=model.safetensors | path=open_clip_pytorch_model.bin "
     "| "
     "path=pytorch_model.bin"},
    {"paddlenlp", "path=model_config.json"},
    {"PaddleOCR", "ext=safetensors | path=inference.pdiparams"},
    {"peft", "path=adapter_config.json"},
    {"recurrentgemma", "path=tokenizer.model"},
    {"refiners", "path=model.safetensors"},
    {"rkllm", "ext=rkllm"},
    {"sam2", "ext=pt"},
    {"sample-factory", "path=cfg.json"},
    {"sklearn", "path=sklearn_model.joblib"},
    {"spacy", "ext=whl"},
    {"speechbrain", "path=hyperparams.yaml"},
    {"stable-audio-tools", "path=model.safetensors"},
    {"stable-baselines3", "ext=zip"},
    {"stanza", "path=models/default.zip"},
    {"tensorrt", "ext=onnx"},
    {"terratorch", "ext=pt | ext=ckpt"},
    {"tf-keras", "path=saved_model.pb"},
    {"tic-clip", "ext=pt & prefix=checkpoints/"},
    {"timm", "path=pytorch_model.bin | path=model.safetensors"},
    {"torchgeo", "ext=pt | ext=pth"},
    {"ultralytics", "ext=pt"},
    {"unity-sentis", "ext=sentis"},
    {"univa", "path=config.json"},
    {"whisperkit", "name=model & ext=mil & nested"},
    {"yolov10", "ext=pt | ext=safetensors"},
};

enum class TermKind { Path, Ext, Name, Prefix, Nested, Top };

struct Term {
  TermKind kind;
  std::string_view value;
};

using Conjunction = std::vector<Term>;
using Rule = std::vector<Conjunction>;  // any conjunction matching

std::vector<std::string_view> split(std::string_view text, std::string_view sep) {
  std::vector<std::string_view> out;
  for (;;) {
    auto at = text.find(sep);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + sep.size());
  }
}

// The notation is ours and fixed at compile time: a malformed rule is a programming error.
Term parse_term(std::string_view text) {
  if (text == "nested") return {TermKind::Nested, {}};
  if (text == "top") return {TermKind::Top, {}};
  auto eq = text.find('=');
  auto key = text.substr(0, eq), value = text.substr(eq + 1);
  if (eq != std::string_view::npos) {
    if (key == "path") return {TermKind::Path, value};
    if (key == "ext") return {TermKind::Ext, value};
    if (key == "name") return {TermKind::Name, value};
    if (key == "prefix") return {TermKind::Prefix, value};
  }
  throw std::logic_error("download rule: bad term '" + std::string(text) + "'");
}

Rule parse_rule(std::string_view query) {
  Rule rule;
  for (auto alternative : split(query, " | ")) {
    Conjunction all;
    for (auto term : split(alternative, " & ")) all.push_back(parse_term(term));
    rule.push_back(std::move(all));
  }
  return rule;
}

struct Rules {
  Rule fallback = parse_rule(kDefault);
  std::unordered_map<std::string_view, Rule> by_library;
  Rules() {
    for (const auto& r : kLibraryRules) by_library.emplace(r.library, parse_rule(r.query));
  }
};

const Rules& rules() {
  static const Rules instance;
  return instance;
}

struct PathParts {
  std::string_view path, file, name, ext;  // "a/b.tar.gz": file "b.tar.gz", name "b.tar", ext "gz"
  bool nested = false;
};

PathParts parts_of(std::string_view path) {
  PathParts p;
  p.path = path;
  auto slash = path.rfind('/');
  p.nested = slash != std::string_view::npos;
  p.file = p.nested ? path.substr(slash + 1) : path;
  auto dot = p.file.rfind('.');
  p.name = dot == std::string_view::npos ? p.file : p.file.substr(0, dot);
  p.ext = dot == std::string_view::npos ? std::string_view() : p.file.substr(dot + 1);
  return p;
}

bool matches(const Term& t, const PathParts& p) {
  switch (t.kind) {
    case TermKind::Path:
      return p.path == t.value;
    case TermKind::Ext:
      return p.ext == t.value;
    case TermKind::Name:
      return p.name == t.value;
    case TermKind::Prefix:
      return p.path.starts_with(t.value);
    case TermKind::Nested:
      return p.nested;
    case TermKind::Top:
      return !p.nested;
  }
  return false;
}

bool matches(const Rule& rule, const PathParts& p) {
  return std::ranges::any_of(rule, [&p](const Conjunction& all) {
    return std::ranges::all_of(all, [&p](const Term& t) { return matches(t, p); });
  });
}

}  // namespace

bool counts_as_download(RepoType type, std::string_view library_name, std::string_view path) {
  if (path.empty()) return false;
  switch (type) {
    case RepoType::Space:
      return false;
    case RepoType::Dataset:
      return true;  // merged per client and repo by DownloadCounter
    case RepoType::Model:
      break;
  }
  auto p = parts_of(path);
  // GGUF files are self-contained models: each one counts, whatever the library.
  if (p.ext == "gguf") return true;
  const auto& all = rules();
  auto it = all.by_library.find(library_name);
  return matches(it == all.by_library.end() ? all.fallback : it->second, p);
}

}  // namespace wharf::hub
