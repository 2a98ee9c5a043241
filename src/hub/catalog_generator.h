// A synthetic catalog at the Hub's scale, for `wharf admin generate-catalog` and the discovery
// benchmark: repo rows as the indexer would have written them for real repositories, but with
// no git repository behind them (RepoRow::synthetic).
//
// What makes it realistic: namespaces with a Zipf skew (a few accounts with thousands of
// repos, a long tail of users with one or two), names built the way people name repos
// ("Llama-3.1-8B-Instruct-GGUF", "distilbert-base-uncased-finetuned-emotion",
// "ppo-LunarLander-v2"), pipeline tags, libraries and licenses from the real vocabularies
// (hub/card_vocabulary), card data with the tags hub/card_tags derives from it, creation
// dates over four years weighted to the recent past and rising with the rows (as on the Hub),
// and counters with a long tail (most repos have a handful of downloads, a few millions;
// likes follow downloads).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hub/repo_id.h"
#include "storage/db.h"

namespace wharf::hub {

struct CatalogCounts {
  int64_t models = 0, datasets = 0, spaces = 0;
  int64_t total() const { return models + datasets + spaces; }
};

// Counts above this (per type) are refused: they would take hours and tens of GB.
inline constexpr int64_t kMaxGeneratedRepos = 10'000'000;
// Rows per transaction of generate_catalog.
inline constexpr std::size_t kGenerateBatch = 20'000;

// What the generator imagines behind a row: the files and the config.json that the indexer
// would have read. derive_card(card_data, files, type, config) gives the row's tags,
// pipeline_tag and library_name; tests check that it does.
struct GeneratedSource {
  std::vector<std::string> files;
  std::string config_json;  // the full config.json ("" when none); the row keeps its summary
};

// Makes rows one at a time. The sequence is a pure function of the seed, `now_ms` and the
// rows passed to reserve() before the first next(): reserving rows changes the sequence, so
// that a second run with the same seed on the same store makes other repos (the namespaces
// stay those of the seed). Not thread-safe.
class CatalogGenerator {
 public:
  // `expected_total`: how many rows will be made (sizes the namespace pool; the creation
  // dates rise from four years before `now_ms` to `now_ms` over that many rows; rows made
  // beyond it are dated `now_ms`).
  CatalogGenerator(uint64_t seed, int64_t now_ms, int64_t expected_total);
  ~CatalogGenerator();
  CatalogGenerator(const CatalogGenerator&) = delete;
  CatalogGenerator& operator=(const CatalogGenerator&) = delete;

  // Marks the (type, namespace, name) and the object id of an existing row as taken, so
  // that no generated row collides with it (case-insensitively, as the store compares).
  void reserve(const storage::RepoRow& existing);

  // The next row of `type`: id 0, synthetic, sha "", a valid and unused (type, ns, name) and
  // a fresh 24-hex object id. `source`, when given, receives what the row was derived from.
  storage::RepoRow next(RepoType type, GeneratedSource* source = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct GenerateReport {
  CatalogCounts written;
  int64_t elapsed_ms = 0;
};

// Writes counts.models + datasets + spaces generated rows into `db` through insert_repos_bulk,
// kGenerateBatch rows per transaction, the types interleaved (ids follow no type; they follow
// creation dates to within a batch). Every
// existing row is reserved first, so running it again on the same store appends other repos
// without collisions. `progress(done, total)` is called after each batch.
// REQUIRES: every count in [0, kMaxGeneratedRepos].
// Errors: those of the store; rows written by earlier batches stay.
Result<GenerateReport> generate_catalog(storage::Db& db, const CatalogCounts& counts, uint64_t seed,
                                        int64_t now_ms,
                                        const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace wharf::hub
