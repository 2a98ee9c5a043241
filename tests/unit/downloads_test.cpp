// Download counting: which files count (the Hub's query files per library), how one
// client's requests merge into one download, and the counter's batching and flushing.
#include "hub/downloads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace wharf::hub {
namespace {

struct RuleCase {
  RepoType type;
  const char* library;
  const char* path;
  bool counts;
};

TEST(DownloadRule, QueryFilesByLibrary) {
  const RuleCase cases[] = {
      // No library, and libraries without their own rule (transformers, sentence-transformers):
      // the default query files, at the top level only.
      {RepoType::Model, "", "config.json", true},
      {RepoType::Model, "", "params.json", true},
      {RepoType::Model, "", "hyperparams.yaml", true},
      {RepoType::Model, "", "sub/config.json", false},
      {RepoType::Model, "", "model.safetensors", false},
      {RepoType::Model, "", "README.md", false},
      {RepoType::Model, "transformers", "config.json", true},
      {RepoType::Model, "transformers", "pytorch_model.bin", false},
      {RepoType::Model, "transformers", "tokenizer.json", false},
      {RepoType::Model, "sentence-transformers", "config.json", true},
      {RepoType::Model, "sentence-transformers", "modules.json", false},
      // GGUF files count for every library.
      {RepoType::Model, "", "q4/model-Q4_K_M.gguf", true},
      {RepoType::Model, "transformers", "model.gguf", true},
      // Libraries with their own query files: config.json no longer counts.
      {RepoType::Model, "peft", "adapter_config.json", true},
      {RepoType::Model, "peft", "config.json", false},
      {RepoType::Model, "adapter-transformers", "adapter_config.json", true},
      {RepoType::Model, "timm", "model.safetensors", true},
      {RepoType::Model, "timm", "pytorch_model.bin", true},
      {RepoType::Model, "timm", "config.json", false},
      {RepoType::Model, "keras", "config.json", true},
      {RepoType::Model, "keras", "nested/model.keras", true},
      {RepoType::Model, "keras", "saved_model.pb", false},
      {RepoType::Model, "tf-keras", "saved_model.pb", true},
      {RepoType::Model, "open_clip", "open_clip_model.safetensors", true},
      {RepoType::Model, "open_clip", "open_clip_config.json", false},
      {RepoType::Model, "spacy", "en_core_web_sm-any-py3-none-any.whl", true},
      {RepoType::Model, "spacy", "config.cfg", false},
      {RepoType::Model, "nemo", "asr/model.nemo", true},
      {RepoType::Model, "stanza", "models/default.zip", true},
      {RepoType::Model, "stanza", "default.zip", false},
      {RepoType::Model, "edsnlp", "artifacts/config.cfg", true},
      {RepoType::Model, "edsnlp", "artifacts/meta.cfg", false},
      {RepoType::Model, "whisperkit", "openai_whisper-tiny/model.mil", true},
      {RepoType::Model, "whisperkit", "model.mil", false},
      {RepoType::Model, "tic-clip", "checkpoints/a.pt", true},
      {RepoType::Model, "tic-clip", "other/a.pt", false},
      // diffusers: model_index.json, and weights at the top level only.
      {RepoType::Model, "diffusers", "model_index.json", true},
      {RepoType::Model, "diffusers", "sd_xl_base_1.0.safetensors", true},
      {RepoType::Model, "diffusers", "unet/diffusion_pytorch_model.safetensors", false},
      {RepoType::Model, "diffusers", "unet/config.json", false},
      {RepoType::Model, "diffusers", "lora.bin", true},
      // Library names are the Hub's keys, exactly.
      {RepoType::Model, "Peft", "config.json", true},
      {RepoType::Model, "PaddleOCR", "inference.pdiparams", true},
      // Datasets: every file (merged per client and repo by the counter); Spaces: none.
      {RepoType::Dataset, "", "data/train-00000-of-00002.parquet", true},
      {RepoType::Dataset, "", "README.md", true},
      {RepoType::Space, "", "app.py", false},
      {RepoType::Space, "", "config.json", false},
      {RepoType::Model, "", "", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(counts_as_download(c.type, c.library, c.path), c.counts)
        << type_name(c.type) << " library '" << c.library << "' path '" << c.path << "'";
}

// A counter whose writer records the batches it was given.
struct Recorder {
  std::mutex mu;
  std::vector<std::vector<storage::DownloadCount>> batches;
  std::atomic<int> recomputes{0};
  std::atomic<bool> fail{false};

  DownloadCounter counter(DownloadCounterOptions options = {}) {
    return DownloadCounter(
        [this](const std::vector<storage::DownloadCount>& batch, int64_t) {
          if (fail) return false;
          std::lock_guard lock(mu);
          batches.push_back(batch);
          return true;
        },
        [this](int64_t) { ++recomputes; }, options);
  }
  std::size_t batch_count() {
    std::lock_guard lock(mu);
    return batches.size();
  }
};

DownloadRequest model_file(int64_t repo, const char* path, const char* client = "10.0.0.1") {
  return {repo, RepoType::Model, "", path, client};
}

bool same(const std::vector<storage::DownloadCount>& a,
          const std::vector<storage::DownloadCount>& b) {
  return std::ranges::equal(a, b, [](const auto& x, const auto& y) {
    return x.repo_id == y.repo_id && x.count == y.count;
  });
}

TEST(DownloadCounter, OneClientsRepeatedRequestsForAFileCountOnce) {
  Recorder rec;
  auto counter = rec.counter();
  int64_t t = 1'000'000;
  EXPECT_TRUE(counter.record(model_file(1, "config.json"), t));        // HEAD
  EXPECT_FALSE(counter.record(model_file(1, "config.json"), t + 40));  // the GET that follows
  EXPECT_FALSE(counter.record(model_file(1, "model.safetensors"), t + 50)) << "not a query file";
  EXPECT_TRUE(counter.record(model_file(1, "config.json", "10.0.0.2"), t + 60)) << "another client";
  EXPECT_TRUE(counter.record(model_file(2, "config.json"), t + 70)) << "another repo";
  EXPECT_TRUE(counter.record(model_file(1, "q8.gguf"), t + 80)) << "another query file";
  EXPECT_FALSE(counter.record(model_file(1, "config.json"), t + 29'999));
  EXPECT_TRUE(counter.record(model_file(1, "config.json"), t + 30'000))
      << "a later load counts again";
  EXPECT_TRUE(same(counter.pending(), {{1, 4}, {2, 1}}));
}

TEST(DownloadCounter, DatasetFilesOfOneClientWithinFiveMinutesAreOneDownload) {
  Recorder rec;
  auto counter = rec.counter();
  auto file = [](const char* path, const char* client = "10.0.0.1") {
    return DownloadRequest{7, RepoType::Dataset, "", path, client};
  };
  int64_t t = 5'000'000;
  EXPECT_TRUE(counter.record(file("data/train-0.parquet"), t));
  EXPECT_FALSE(counter.record(file("data/train-1.parquet"), t + 1000));
  EXPECT_FALSE(counter.record(file("data/test-0.parquet"), t + 299'999));
  EXPECT_TRUE(counter.record(file("data/test-0.parquet", "10.0.0.9"), t + 2000));
  EXPECT_TRUE(counter.record(file("README.md"), t + 300'000));
  EXPECT_FALSE(counter.record({8, RepoType::Space, "", "app.py", "10.0.0.1"}, t));
  EXPECT_TRUE(same(counter.pending(), {{7, 3}}));
}

TEST(DownloadCounter, FlushWritesOneSortedBatchAndEmpties) {
  Recorder rec;
  auto counter = rec.counter();
  for (int64_t repo : {30, 10, 20}) counter.record(model_file(repo, "config.json", "a"), 1);
  counter.record(model_file(10, "config.json", "b"), 1);
  EXPECT_TRUE(counter.flush(2));
  ASSERT_EQ(rec.batch_count(), 1u);
  EXPECT_TRUE(same(rec.batches[0], {{10, 2}, {20, 1}, {30, 1}}));
  EXPECT_TRUE(counter.pending().empty());
  EXPECT_TRUE(counter.flush(3));
  EXPECT_EQ(rec.batch_count(), 1u) << "nothing pending, nothing written";
}

TEST(DownloadCounter, AFailedWriteKeepsTheCounts) {
  Recorder rec;
  auto counter = rec.counter();
  counter.record(model_file(1, "config.json", "a"), 1);
  rec.fail = true;
  EXPECT_FALSE(counter.flush(2));
  counter.record(model_file(1, "config.json", "b"), 3);
  EXPECT_TRUE(same(counter.pending(), {{1, 2}}));
  rec.fail = false;
  EXPECT_TRUE(counter.flush(4));
  EXPECT_TRUE(same(rec.batches.at(0), {{1, 2}}));
}

TEST(DownloadCounter, ClientMemoryIsBounded) {
  Recorder rec;
  DownloadCounterOptions options;
  options.max_recent = 4;
  auto counter = rec.counter(options);
  std::vector<std::string> clients;
  for (int i = 0; i < 10; ++i) clients.push_back("10.0.0." + std::to_string(i));
  for (const auto& c : clients)
    EXPECT_TRUE(counter.record({1, RepoType::Model, "", "config.json", c}, 1));
  // The memory was cleared when full: client 9 is remembered, client 0 is not any more.
  EXPECT_FALSE(counter.record({1, RepoType::Model, "", "config.json", clients[9]}, 2));
  EXPECT_TRUE(counter.record({1, RepoType::Model, "", "config.json", clients[0]}, 2));
}

TEST(DownloadCounter, FlusherRecomputesAtStartFlushesPeriodicallyAndOnStop) {
  Recorder rec;
  auto counter = rec.counter();
  counter.start(20, 60'000);
  counter.record(model_file(1, "config.json"), 1);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (rec.batch_count() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(rec.batch_count(), 1u) << "flushed by the thread";
  EXPECT_EQ(rec.recomputes.load(), 1);
  // A count taken just before stop is written by stop itself.
  counter.record(model_file(2, "config.json"), 2);
  counter.stop();
  ASSERT_EQ(rec.batch_count(), 2u);
  EXPECT_TRUE(same(rec.batches[1], {{2, 1}}));
  counter.stop();  // idempotent
  EXPECT_EQ(rec.batch_count(), 2u);
}

TEST(DownloadCounter, RecordingFromManyThreadsLosesNothing) {
  Recorder rec;
  auto counter = rec.counter();
  counter.start(1, 60'000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&counter, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string client = std::to_string(t) + "-" + std::to_string(i);
        counter.record({1 + i % 3, RepoType::Model, "", "config.json", client}, 1);
      }
    });
  }
  for (auto& t : threads) t.join();
  counter.stop();
  int64_t total = 0;
  for (const auto& batch : rec.batches)
    for (const auto& d : batch) total += d.count;
  EXPECT_EQ(total, 8000);
}

}  // namespace
}  // namespace wharf::hub
