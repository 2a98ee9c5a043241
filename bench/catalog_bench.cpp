// Benchmark of the in-memory catalog (hub/catalog) at the Hub's size: 1,000,000 models,
// 200,000 datasets and 350,000 spaces built in process, with Zipf-distributed tags (a few
// thousand, ~12 per repo) and namespaces (~100k, skewed), ids like
// "some-org/llama-3-8b-instruct-gguf". Reports the load time, the RSS, the cost of updates
// and per query kind p50/p99/max latency over a realistic mix and the worst cases.
// Figures, not pass/fail. Usage: wharf_bench_catalog [scale [kind]]   (scale 1.0 = 1.55M repos,
// the default; kind: run only the query kinds whose name contains it, ten times as often)
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "hub/catalog.h"

using namespace wharf;
using namespace wharf::hub;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// CPU time of this thread: the machine may be shared, and a query preempted midway would
// otherwise count another process's time.
double cpu_us() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

long rss_kb(const char* field = "VmRSS:") {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(field)) return std::atol(line.c_str() + std::string_view(field).size());
  return -1;
}

// Draws 0..n-1 with P(k) ~ 1/(k+1)^s.
class Zipf {
 public:
  Zipf(std::size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k)
      cdf_[k] = sum += 1.0 / std::pow(static_cast<double>(k + 1), s);
    for (auto& c : cdf_) c /= sum;
  }
  std::size_t operator()(std::mt19937_64& rng) const {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<std::size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin()) %
           cdf_.size();
  }

 private:
  std::vector<double> cdf_;
};

const std::vector<std::string> kWords = {
    "llama",     "mistral", "qwen2.5",          "phi-3",      "gemma",   "bert",     "roberta",
    "t5",        "whisper", "stable-diffusion", "falcon",     "mixtral", "deepseek", "yi",
    "clip",      "vit",     "wav2vec2",         "distilbert", "gpt2",    "bloom",    "codellama",
    "starcoder", "zephyr",  "openhermes",       "tinyllama",  "sdxl",    "flux",     "e5",
    "bge",       "minilm"};
const std::vector<std::string> kSizes = {"7b", "8b",    "13b",  "70b",   "0.5b", "1.5b",
                                         "3b", "small", "base", "large", "xl",   "tiny"};
const std::vector<std::string> kVariants = {"instruct", "chat",   "base", "finetuned", "sft", "dpo",
                                            "lora",     "merged", "v2",   "uncensored"};
const std::vector<std::string> kFormats = {"gguf", "awq",  "gptq", "4bit", "8bit",
                                           "exl2", "onnx", "mlx",  "fp16", "bnb"};
const std::vector<std::string> kSyllables = {"ka",  "ri",  "to",  "mo",  "lex", "an",  "dra",
                                             "vin", "sol", "mer", "ta",  "zu",  "ben", "lia",
                                             "rok", "ny",  "pe",  "gor", "ish", "qua"};
const std::vector<std::string> kPipelines = {"text-generation",
                                             "text-classification",
                                             "text2text-generation",
                                             "fill-mask",
                                             "token-classification",
                                             "automatic-speech-recognition",
                                             "image-classification",
                                             "text-to-image",
                                             "feature-extraction",
                                             "sentence-similarity",
                                             "question-answering",
                                             "summarization",
                                             "translation",
                                             "object-detection",
                                             "image-segmentation",
                                             "reinforcement-learning",
                                             "audio-classification",
                                             "text-to-speech",
                                             "image-to-text",
                                             "zero-shot-classification",
                                             "conversational",
                                             "depth-estimation",
                                             "video-classification",
                                             "image-to-image",
                                             "tabular-classification",
                                             "visual-question-answering",
                                             "unconditional-image-generation",
                                             "text-to-video",
                                             "mask-generation",
                                             "any-to-any"};
const std::vector<std::string> kLibraries = {"transformers",
                                             "diffusers",
                                             "sentence-transformers",
                                             "peft",
                                             "gguf",
                                             "timm",
                                             "stable-baselines3",
                                             "ml-agents",
                                             "keras",
                                             "spacy",
                                             "adapter-transformers",
                                             "onnx",
                                             "mlx",
                                             "setfit",
                                             "flair",
                                             "fastai",
                                             "speechbrain",
                                             "espnet",
                                             "pytorch",
                                             "tensorflow",
                                             "jax",
                                             "nemo",
                                             "open_clip",
                                             "paddlenlp",
                                             "fairseq"};
const std::vector<std::string> kCommonTags = {"region:us",
                                              "transformers",
                                              "safetensors",
                                              "pytorch",
                                              "autotrain_compatible",
                                              "endpoints_compatible",
                                              "text-generation-inference",
                                              "license:apache-2.0",
                                              "en",
                                              "license:mit",
                                              "tensorboard",
                                              "generated_from_trainer",
                                              "conversational",
                                              "gguf",
                                              "llama",
                                              "mistral",
                                              "diffusers",
                                              "lora",
                                              "license:other",
                                              "custom_code"};

std::string pick(const std::vector<std::string>& v, std::mt19937_64& rng) {
  return v[rng() % v.size()];
}

std::string word(std::mt19937_64& rng) {
  std::string w;
  for (int n = 2 + static_cast<int>(rng() % 2); n > 0; --n) w += pick(kSyllables, rng);
  return w;
}

struct World {
  std::vector<std::string> namespaces;
  std::vector<std::string> tags;
  Zipf ns_pick{100000, 1.05};
  Zipf tag_pick{5000, 1.1};
  Zipf pipeline_pick{kPipelines.size(), 1.2};
  Zipf library_pick{kLibraries.size(), 1.3};
};

World make_world(std::mt19937_64& rng) {
  World w;
  w.namespaces.reserve(100000);
  for (const char* org :
       {"meta-llama", "TheBloke", "mradermacher", "google", "microsoft", "openai", "bartowski",
        "mistralai", "Qwen", "stabilityai", "facebook", "unsloth", "lmstudio-community"})
    w.namespaces.push_back(org);
  while (w.namespaces.size() < 100000) {
    std::string ns = word(rng);
    if (rng() % 3 == 0) ns += "-" + word(rng);
    if (rng() % 2 == 0) ns += std::to_string(rng() % 10000);
    if (rng() % 4 == 0) ns[0] = static_cast<char>(std::toupper(ns[0]));
    w.namespaces.push_back(ns);
  }
  w.tags = kCommonTags;
  while (w.tags.size() < 5000) {
    switch (rng() % 4) {
      case 0:
        w.tags.push_back("dataset:" + word(rng) + "/" + word(rng));
        break;
      case 1:
        w.tags.push_back("base_model:" + pick(kWords, rng) + "-" + pick(kSizes, rng) + "-" +
                         word(rng));
        break;
      case 2:
        w.tags.push_back("language:" + word(rng).substr(0, 3));
        break;
      default:
        w.tags.push_back(word(rng) + "-" + word(rng));
        break;
    }
  }
  return w;
}

CatalogEntry make_entry(int64_t id, RepoType type, const World& w, std::mt19937_64& rng) {
  CatalogEntry e;
  e.id = id;
  e.type = type;
  char oid[25];
  std::snprintf(oid, sizeof oid, "%024llx", static_cast<unsigned long long>(rng()));
  e.object_id = oid;
  char sha[41];
  std::snprintf(sha, sizeof sha, "%016llx%016llx%08x", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()), static_cast<unsigned>(rng()));
  e.sha = sha;
  e.ns = w.namespaces[w.ns_pick(rng)];
  if (rng() % 10 < 7) {
    e.name = pick(kWords, rng) + "-" + pick(kSizes, rng);
    if (rng() % 2) e.name += "-" + pick(kVariants, rng);
    if (rng() % 3 == 0) e.name += "-" + pick(kFormats, rng);
    if (rng() % 4 == 0) e.name[0] = static_cast<char>(std::toupper(e.name[0]));
  } else {
    e.name = word(rng) + "-" + word(rng);
    if (rng() % 2) e.name += "-v" + std::to_string(rng() % 10);
  }
  e.name += "-" + std::to_string(id % 997);  // keeps ids unique enough without a set
  e.is_private = rng() % 100 < 5;
  e.gated = rng() % 100 < 3 ? (rng() % 2 ? "auto" : "manual") : "";
  if (type == RepoType::Space) e.sdk = rng() % 2 ? "gradio" : "streamlit";
  e.created_ms = 1'600'000'000'000 + static_cast<int64_t>(rng() % 126'000'000'000);
  e.last_modified_ms = e.created_ms + static_cast<int64_t>(rng() % 10'000'000'000);
  // Heavy tails: most repos have no downloads or likes.
  double u = std::uniform_real_distribution<double>(0, 1)(rng);
  e.downloads = u < 0.5 ? 0 : static_cast<int64_t>(std::pow(10.0, (u - 0.5) * 14));
  e.downloads_all_time = e.downloads * static_cast<int64_t>(1 + rng() % 20);
  e.likes = u < 0.7 ? 0 : static_cast<int64_t>(std::pow(10.0, (u - 0.7) * 12));
  e.trending_score = static_cast<int64_t>(rng() % 100) < 90 ? 0 : static_cast<int64_t>(rng() % 500);
  if (type == RepoType::Model) {
    if (rng() % 10 < 8) e.pipeline_tag = kPipelines[w.pipeline_pick(rng)];
    if (rng() % 10 < 8) e.library_name = kLibraries[w.library_pick(rng)];
  }
  std::size_t n = 6 + rng() % 13;  // ~12 on average
  while (e.tags.size() < n) {
    const std::string& t = w.tags[w.tag_pick(rng)];
    if (std::find(e.tags.begin(), e.tags.end(), t) == e.tags.end()) e.tags.push_back(t);
  }
  // Two common tags that never meet: the planner's worst case.
  if (id % 5 == 0) e.tags.push_back("anti-a");
  if (id % 5 == 1) e.tags.push_back("anti-b");
  return e;
}

struct Stats {
  std::string name;
  std::vector<double> us;   // wall clock
  std::vector<double> cpu;  // thread CPU time
  std::size_t items = 0;
};

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

void report(const Stats& s) {
  std::printf(
      "  %-50s n=%4zu  wall p50 %7.1f p99 %7.1f max %7.1f us | cpu p50 %7.1f p99 %7.1f us | items "
      "%5.1f\n",
      s.name.c_str(), s.us.size(), quantile(s.us, 0.5), quantile(s.us, 0.99), quantile(s.us, 1.0),
      quantile(s.cpu, 0.5), quantile(s.cpu, 0.99),
      static_cast<double>(s.items) / static_cast<double>(s.us.size()));
}

}  // namespace

int main(int argc, char** argv) {
  double scale = argc > 1 ? std::atof(argv[1]) : 1.0;
  if (scale <= 0) scale = 1.0;
  const std::string only = argc > 2 ? argv[2] : "";
  std::mt19937_64 rng(42);
  World w = make_world(rng);
  auto count = [&](double n) { return static_cast<int64_t>(n * scale); };
  const int64_t models = count(1'000'000), datasets = count(200'000), spaces = count(350'000);

  long rss0 = rss_kb();
  auto t0 = Clock::now();
  std::vector<CatalogEntry> entries;
  entries.reserve(static_cast<std::size_t>(models + datasets + spaces));
  int64_t id = 1;
  for (int64_t i = 0; i < models; ++i) entries.push_back(make_entry(id++, RepoType::Model, w, rng));
  for (int64_t i = 0; i < datasets; ++i)
    entries.push_back(make_entry(id++, RepoType::Dataset, w, rng));
  for (int64_t i = 0; i < spaces; ++i) entries.push_back(make_entry(id++, RepoType::Space, w, rng));
  std::shuffle(entries.begin(), entries.end(),
               rng);                    // the database returns them by id; types interleave
  std::vector<std::string> sample_ids;  // some real ids for rare searches
  for (std::size_t i = 0; i < entries.size() && sample_ids.size() < 200;
       i += entries.size() / 200 + 1)
    if (entries[i].type == RepoType::Model)
      sample_ids.push_back(entries[i].ns + "/" + entries[i].name);
  std::printf("generated %zu entries in %.0f ms (input RSS %ld MB)\n", entries.size(), ms_since(t0),
              (rss_kb() - rss0) / 1024);

  // Baseline in the same run: a deep copy of the input touches every string once, as any
  // loader must (this machine's speed at allocating and copying small strings).
  double copy_ms = 0;
  {
    t0 = Clock::now();
    std::vector<CatalogEntry> copy = entries;
    copy_ms = ms_since(t0);
  }
  malloc_trim(0);

  Catalog catalog;
  t0 = Clock::now();
  timespec p0;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p0);
  catalog.upsert_all(std::move(entries));
  double load_ms = ms_since(t0);
  timespec p1;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p1);
  double load_cpu_ms = static_cast<double>(p1.tv_sec - p0.tv_sec) * 1e3 +
                       static_cast<double>(p1.tv_nsec - p0.tv_nsec) / 1e6;
  std::vector<CatalogEntry>().swap(entries);
  malloc_trim(0);
  long rss_after = rss_kb();
  std::printf(
      "load: upsert_all of %zu entries in %.0f ms (cpu of both threads %.0f ms); baseline, a deep "
      "copy of the input: %.0f ms\n",
      catalog.size(), load_ms, load_cpu_ms, copy_ms);
  std::printf(
      "memory: RSS %ld MB after load (%ld MB before generating the input): catalog ~%ld MB; peak "
      "RSS %ld MB\n",
      rss_after / 1024, rss0 / 1024, (rss_after - rss0) / 1024, rss_kb("VmHWM:") / 1024);

  // ---- queries ----
  std::vector<Stats> all;
  auto run = [&](const std::string& name, int reps, const std::function<CatalogQuery(int)>& make) {
    if (!only.empty() && name.find(only) == std::string::npos) return;
    if (!only.empty()) reps *= 10;
    Stats s{name, {}, {}, 0};
    (void)catalog.query(make(0));  // warm-up: the first pass faults in the result's memory
    for (int i = 0; i < reps; ++i) {
      CatalogQuery q = make(i);
      double c0 = cpu_us();
      auto t = Clock::now();
      auto page = catalog.query(q);
      s.us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t).count());
      s.cpu.push_back(cpu_us() - c0);
      if (!page) {
        std::fprintf(stderr, "query '%s' failed: %s\n", name.c_str(), page.error().message.c_str());
        std::exit(1);
      }
      s.items += page->items.size();
    }
    all.push_back(s);
    report(s);
  };
  const CatalogSort sorts[] = {
      CatalogSort::Id,      CatalogSort::Downloads,    CatalogSort::DownloadsAllTime,
      CatalogSort::Likes,   CatalogSort::LastModified, CatalogSort::CreatedAt,
      CatalogSort::Trending};
  const char* sort_names[] = {"id",           "downloads", "downloadsAllTime", "likes",
                              "lastModified", "createdAt", "trending"};
  auto base = [](RepoType t = RepoType::Model) {
    CatalogQuery q;
    q.type = t;
    q.limit = 20;
    return q;
  };
  const int kReps = 300;

  std::printf("queries (models unless said; limit 20):\n");
  for (int s = 0; s < 7; ++s)
    run(std::string("no filter, sort ") + sort_names[s], kReps, [&](int) {
      auto q = base();
      q.sort = sorts[s];
      return q;
    });
  run("no filter, limit 1000, sort downloads", 50, [&](int) {
    auto q = base();
    q.limit = 1000;
    q.sort = CatalogSort::Downloads;
    return q;
  });
  run("datasets, no filter, sort likes", kReps, [&](int) {
    auto q = base(RepoType::Dataset);
    q.sort = CatalogSort::Likes;
    return q;
  });
  run("spaces, search 'chat', sort trending", kReps, [&](int) {
    auto q = base(RepoType::Space);
    q.search = "chat";
    q.sort = CatalogSort::Trending;
    return q;
  });
  run("one common tag (top 20), sort downloads", kReps, [&](int i) {
    auto q = base();
    q.tags = {kCommonTags[static_cast<std::size_t>(i) % kCommonTags.size()]};
    q.sort = CatalogSort::Downloads;
    return q;
  });
  run("one rare tag (rank 1000-4999), any sort", kReps, [&](int i) {
    auto q = base();
    q.tags = {w.tags[1000 + static_cast<std::size_t>(i * 13) % 4000]};
    q.sort = sorts[i % 7];
    return q;
  });
  run("pipeline_tag, sort downloads", kReps, [&](int i) {
    auto q = base();
    q.pipeline_tag = kPipelines[static_cast<std::size_t>(i) % kPipelines.size()];
    q.sort = CatalogSort::Downloads;
    return q;
  });
  run("pipeline_tag + library + tag, sort likes", kReps, [&](int i) {
    auto q = base();
    q.pipeline_tag = kPipelines[static_cast<std::size_t>(i) % 5];
    q.library_name = kLibraries[static_cast<std::size_t>(i) % 3];
    q.tags = {kCommonTags[static_cast<std::size_t>(i) % 8]};
    q.sort = CatalogSort::Likes;
    return q;
  });
  run("author, big org (top 13), sort downloads", kReps, [&](int i) {
    auto q = base();
    q.author = w.namespaces[static_cast<std::size_t>(i) % 13];
    q.sort = CatalogSort::Downloads;
    return q;
  });
  run("author, random namespace, sort createdAt", kReps, [&](int i) {
    auto q = base();
    q.author = w.namespaces[static_cast<std::size_t>(i * 331) % w.namespaces.size()];
    q.sort = CatalogSort::CreatedAt;
    return q;
  });
  run("search common 3-10 chars, sort downloads", kReps, [&](int i) {
    static const char* common[] = {"llama", "instruct", "gguf", "mistral-7b", "chat",
                                   "bert",  "7b",       "qwen", "lora",       "sdxl"};
    auto q = base();
    q.search = common[i % 10];
    q.sort = CatalogSort::Downloads;
    return q;
  });
  run("search rare 6-10 chars (across a real id's slash)", kReps, [&](int i) {
    auto q = base();
    const auto& full = sample_ids[static_cast<std::size_t>(i) % sample_ids.size()];
    auto start = full.find('/') - std::min<std::size_t>(full.find('/'), 3);
    q.search = full.substr(start, 6 + static_cast<std::size_t>(i) % 5);
    q.sort = sorts[i % 7];
    return q;
  });
  run("search 3-10 chars + tag, sort likes", kReps, [&](int i) {
    static const char* s[] = {"llama", "instruct", "gguf", "7b", "bert", "phi"};
    auto q = base();
    q.search = s[i % 6];
    q.tags = {kCommonTags[static_cast<std::size_t>(i) % 10]};
    q.sort = CatalogSort::Likes;
    return q;
  });
  run("2-3 tags (common and mid), sort downloads", kReps, [&](int i) {
    auto q = base();
    q.tags = {kCommonTags[static_cast<std::size_t>(i) % 6],
              w.tags[20 + static_cast<std::size_t>(i) % 200]};
    if (i % 2) q.tags.push_back(kCommonTags[6 + static_cast<std::size_t>(i) % 6]);
    q.sort = CatalogSort::Downloads;
    return q;
  });
  if (only.empty() || std::string("paging").find(only) != std::string::npos) {
    // Paging: pages 1 to 5 of a few listings, each page timed.
    Stats deep{"paging: pages 2-5 via cursor (mixed filters)", {}, {}, 0};
    for (int i = 0; i < 100; ++i) {
      auto q = base();
      q.sort = sorts[i % 7];
      if (i % 3 == 1) q.tags = {kCommonTags[static_cast<std::size_t>(i) % 10]};
      if (i % 3 == 2) q.search = "llama";
      for (int pageno = 1; pageno <= 5; ++pageno) {
        double c0 = cpu_us();
        auto t = Clock::now();
        auto page = catalog.query(q);
        double us = std::chrono::duration<double, std::micro>(Clock::now() - t).count();
        double cpu = cpu_us() - c0;
        if (!page) return 1;
        if (pageno > 1) {
          deep.us.push_back(us);
          deep.cpu.push_back(cpu);
          deep.items += page->items.size();
        }
        if (page->next_cursor.empty()) break;
        q.cursor = page->next_cursor;
      }
    }
    report(deep);
    all.push_back(deep);
  }
  std::printf("worst cases:\n");
  run("two common tags never together (20% each)", 100, [&](int i) {
    auto q = base();
    q.tags = {"anti-a", "anti-b"};
    q.sort = sorts[i % 7];
    return q;
  });
  run("two common tags + search, no match", 100, [&](int i) {
    auto q = base();
    q.tags = {"anti-a", "transformers"};
    q.search = "instruct-llama";
    q.sort = sorts[i % 7];
    return q;
  });
  run("search 1-2 chars", 100, [&](int i) {
    static const char* s[] = {"x", "q", "zq", "k", "-", "7", "qx", "j"};
    auto q = base();
    q.search = s[i % 8];
    q.sort = sorts[i % 7];
    return q;
  });
  run("search matching nothing (common trigrams)", 100, [&](int i) {
    static const char* s[] = {"instruct-llama", "gguf-mistral", "chat-bert", "llamamistral",
                              "zzqxv"};
    auto q = base();
    q.search = s[i % 5];
    q.sort = sorts[i % 7];
    return q;
  });
  run("gated=false + private invisible, deep cursor", 100, [&](int i) {
    auto q = base();
    q.gated = false;
    q.sort = sorts[i % 7];
    return q;
  });
  run("mid-frequency tag + 1-char search, sort downloads", 100, [&](int i) {
    auto q = base();
    q.tags = {w.tags[300 + static_cast<std::size_t>(i) % 100]};
    q.search = "a";
    q.sort = CatalogSort::Downloads;
    return q;
  });
  double worst_wall = 0, worst_cpu = 0;
  for (const auto& s : all) {
    worst_wall = std::max(worst_wall, quantile(s.us, 0.99));
    worst_cpu = std::max(worst_cpu, quantile(s.cpu, 0.99));
  }
  std::printf("highest p99 over all kinds: wall %.1f us, cpu %.1f us\n", worst_wall, worst_cpu);

  if (!only.empty()) return 0;
  // ---- updates ----
  auto time_us = [](const std::function<void()>& f) {
    double c0 = cpu_us();
    f();
    return cpu_us() - c0;
  };
  std::printf("updates (cpu time):\n");
  Stats up{"upsert of an existing repo (new commit)", {}, {}, 0};
  Stats like{"set_counters, one repo (a like)", {}, {}, 0};
  Stats rename{"upsert with a rename and new tags", {}, {}, 0};
  for (int i = 0; i < 200; ++i) {
    int64_t target = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(models));
    auto e = catalog.find(target);
    if (!e) continue;
    e->last_modified_ms += 1000;
    e->sha[0] = e->sha[0] == 'a' ? 'b' : 'a';
    up.us.push_back(time_us([&] { catalog.upsert(*e); }));
    up.cpu.push_back(up.us.back());
    Catalog::Counters c{e->id, e->downloads + 1, e->downloads_all_time + 1, e->likes + 1,
                        e->trending_score};
    like.us.push_back(time_us([&] { catalog.set_counters({c}); }));
    like.cpu.push_back(like.us.back());
    e->name += "-renamed";
    e->tags.push_back(w.tags[rng() % w.tags.size()]);
    rename.us.push_back(time_us([&] { catalog.upsert(*e); }));
    rename.cpu.push_back(rename.us.back());
  }
  report(up);
  report(like);
  report(rename);
  std::vector<Catalog::Counters> batch;
  for (int i = 0; i < 100000; ++i) {
    int64_t target = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(id - 1));
    batch.push_back({target, static_cast<int64_t>(rng() % 100000),
                     static_cast<int64_t>(rng() % 1000000), static_cast<int64_t>(rng() % 1000),
                     static_cast<int64_t>(rng() % 100)});
  }
  std::printf("  set_counters, 100,000 repos at once: %.1f ms\n",
              time_us([&] { catalog.set_counters(batch); }) / 1000);
  batch.resize(1000);
  std::printf("  set_counters, 1,000 repos at once: %.1f ms\n",
              time_us([&] { catalog.set_counters(batch); }) / 1000);
  std::printf("  remove + add back one repo: %.1f us\n", time_us([&] {
                auto e = catalog.find(7);
                catalog.remove(7);
                if (e) catalog.upsert(*e);
              }));
  std::printf("final RSS %ld MB\n", rss_kb() / 1024);
  return 0;
}
