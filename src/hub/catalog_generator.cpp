// The generator's frame: namespaces with a Zipf skew, unique names and object ids, dates,
// counters and visibility, and the batched writer. The rows' content (names, cards, tags) is
// made in catalog_rows.cpp.
#include "hub/catalog_generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include "hub/catalog_rows.h"
#include "hub/catalog_words.h"

namespace wharf::hub {

using namespace catalog_detail;
using storage::RepoRow;

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kSpanMs = 1461 * kDayMs;  // four years
// Repos per namespace fall as rank^-0.9: with 500,000 namespaces the busiest holds ~3.5% of
// all repos (tens of thousands, like the Hub's biggest uploaders), rank 100 about 900, and
// most namespaces one or two.
constexpr double kZipfExponent = 0.9;
constexpr uint64_t kPoolSalt = 0x6e616d6573706163ULL;
constexpr uint64_t kRowSalt = 0x726f777320202020ULL;
constexpr uint64_t kOrderSalt = 0x6f72646572202020ULL;

bool valid_namespace(std::string_view ns) {
  return !invalid_name_segment(ns) && !is_reserved_namespace(ns);
}

std::string capitalized(std::string_view w) {
  std::string s(w);
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// A user handle as people pick them: "alexsmith", "maria-nlp", "kenji42", "deep-vision-lab".
std::string user_handle(Rng& rng) {
  auto first = rng.pick(catalog_words::first_names());
  auto word = rng.pick(catalog_words::handle_words());
  switch (rng.below(6)) {
    case 0:
      return std::string(first) + std::string(word);
    case 1:
      return std::string(first) + "-" + std::string(word);
    case 2:
      return std::string(first) + std::to_string(rng.below(10000));
    case 3:
      return std::string(word) + "-" + std::string(rng.pick(catalog_words::handle_words())) + "-" +
             std::string(rng.pick(catalog_words::handle_words()));
    case 4:
      return std::string(first) + "_" + std::string(word);
    default:
      return capitalized(first) + capitalized(word);
  }
}

int64_t& count_of(CatalogCounts& c, RepoType type) {
  return type == RepoType::Model ? c.models : type == RepoType::Dataset ? c.datasets : c.spaces;
}

// The store's (type, namespace NOCASE, name NOCASE) order.
bool index_order(const RepoRow& a, const RepoRow& b) {
  auto lower = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; };
  auto less = [&](const std::string& x, const std::string& y) {
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(),
                                        [&](char p, char q) { return lower(p) < lower(q); });
  };
  if (a.type != b.type) return a.type < b.type;
  if (less(a.ns, b.ns)) return true;
  if (less(b.ns, a.ns)) return false;
  return less(a.name, b.name);
}

void append_hex(std::string& out, uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out += kHex[(value >> (4 * i)) & 15];
}

}  // namespace

struct CatalogGenerator::Impl {
  uint64_t seed;
  int64_t now_ms;
  std::vector<std::string> namespaces;  // by rank, busiest first
  std::vector<double> rank_cdf;         // cumulative Zipf weights of the ranks
  KeySet names, object_ids;
  std::size_t reserved = 0;
  int64_t expected;  // rows this generator is expected to make
  int64_t made = 0;
  std::optional<Rng> rng;  // seeded at the first row, from the seed and the reserved count
  std::optional<catalog_rows::RowMaker> maker;

  Impl(uint64_t s, int64_t now, int64_t expected_total)
      : seed(s), now_ms(now), expected(std::max<int64_t>(expected_total, 1)) {
    build_namespaces(std::clamp<int64_t>(expected_total / 3, 64, 4'000'000));
  }

  void build_namespaces(int64_t count) {
    Rng pool(seed ^ kPoolSalt);
    KeySet seen;
    namespaces.reserve(count);
    for (auto ns : catalog_words::famous_namespaces()) {
      namespaces.emplace_back(ns);
      seen.insert(key_of({ns}));
    }
    while (static_cast<int64_t>(namespaces.size()) < count) {
      std::string h = user_handle(pool);
      while (!valid_namespace(h) || !seen.insert(key_of({h}))) h += std::to_string(pool.below(10));
      namespaces.push_back(std::move(h));
    }
    rank_cdf.resize(namespaces.size());
    double sum = 0;
    for (std::size_t r = 0; r < rank_cdf.size(); ++r)
      rank_cdf[r] = sum += std::pow(static_cast<double>(r + 1), -kZipfExponent);
  }

  std::size_t pick_rank() {
    double u = rng->unit() * rank_cdf.back();
    auto it = std::lower_bound(rank_cdf.begin(), rank_cdf.end(), u);
    return std::min<std::size_t>(it - rank_cdf.begin(), rank_cdf.size() - 1);
  }

  // `base` if it is free in (type, ns), else base-2, base-3, base-4, then random numbers.
  std::string unique_name(std::string_view type, std::string_view ns, std::string base) {
    if (base.size() > 80) base.resize(80);
    while (!base.empty() && (base.back() == '-' || base.back() == '.')) base.pop_back();
    if (invalid_name_segment(base)) base = "repo";
    if (names.insert(key_of({type, ns, base}))) return base;
    for (int attempt = 0;; ++attempt) {
      auto n = attempt < 3 ? attempt + 2 : static_cast<int>(rng->below(1'000'000));
      std::string candidate = base + "-" + std::to_string(n);
      if (names.insert(key_of({type, ns, candidate}))) return candidate;
    }
  }

  // Like the Hub's ObjectIds: the creation time in seconds, then random bits.
  std::string object_id(int64_t created_ms) {
    for (;;) {
      std::string id;
      id.reserve(24);
      append_hex(id, static_cast<uint64_t>(created_ms / 1000), 8);
      append_hex(id, rng->next(), 16);
      if (object_ids.insert(key_of({id}))) return id;
    }
  }

  // Recent years hold most repos (the Hub grew several-fold each year): ages follow
  // span * u^1.8 for u uniform. The rows come in creation order, as the Hub's ids do, with
  // u = 1 - k / expected for the k-th row (jittered within its slot); as a side effect the
  // object ids, which start with the creation time, reach the store's unique index in order.
  void set_dates(RepoRow& row) {
    double f =
        std::min(1.0, (static_cast<double>(made++) + rng->unit()) / static_cast<double>(expected));
    row.created_ms = now_ms - static_cast<int64_t>(kSpanMs * std::pow(1.0 - f, 1.8));
    row.last_modified_ms = row.created_ms + static_cast<int64_t>((now_ms - row.created_ms) *
                                                                 std::pow(rng->unit(), 2.0));
  }

  // Pareto tails: most repos get 0-10 downloads a month, a few millions; busy namespaces and
  // real (not scratch) repos get more; likes grow with the square root of downloads.
  void set_counters(RepoRow& row, RepoType type, std::size_t rank, double appeal) {
    double boost = (rank < 10 ? 25.0 : rank < 100 ? 6.0 : rank < 1000 ? 2.5 : 1.0) * appeal;
    if (type == RepoType::Space) {
      // The Hub's most liked Spaces have some ten thousand likes.
      double likes = rng->chance(0.45) ? rng->pareto0(1.4) * boost : 0.0;
      row.likes = static_cast<int64_t>(std::min(likes, 50000.0));
    } else {
      double d = rng->chance(0.35) ? 0.0 : rng->pareto0(0.75) * boost;
      row.downloads = static_cast<int64_t>(std::min(d, 3e8));
      double months = static_cast<double>(now_ms - row.created_ms) / (30.0 * kDayMs);
      double past = row.downloads * months * (0.2 + rng->unit()) +
                    (rng->chance(0.3) ? rng->pareto0(1.1) * boost : 0.0);
      row.downloads_all_time = row.downloads + static_cast<int64_t>(std::min(past, 2e9));
      if (row.downloads == 0)
        row.likes = rng->chance(0.06) ? 1 + static_cast<int64_t>(rng->pareto0(1.5)) : 0;
      else
        row.likes = static_cast<int64_t>(std::sqrt(d) * std::exp(0.8 * rng->normal()) * 0.12);
    }
    // Trending: liked repos touched in the last six weeks, about one in two of them.
    if (row.likes > 0 && now_ms - row.last_modified_ms < 42 * kDayMs && rng->chance(0.5))
      row.trending_score =
          std::max<int64_t>(1, static_cast<int64_t>(row.likes * (0.05 + 0.5 * rng->unit())));
  }

  // ~3% private; ~1% of the public models and datasets gated, "auto" more often than "manual".
  void set_visibility(RepoRow& row, RepoType type) {
    row.is_private = rng->chance(0.03);
    if (!row.is_private && type != RepoType::Space && rng->chance(0.01))
      row.gated = rng->chance(0.6) ? "auto" : "manual";
  }

  RepoRow next(RepoType type, GeneratedSource* source) {
    if (!rng) {
      rng.emplace(mix64(seed ^ kRowSalt) ^ mix64(reserved));
      maker.emplace(*rng);
    }
    RepoRow row;
    row.type = std::string(type_name(type));
    row.synthetic = true;
    std::size_t rank = pick_rank();
    row.ns = namespaces[rank];
    GeneratedSource scratch_source;
    GeneratedSource& src = source ? *source : scratch_source;
    src = {};
    auto content = maker->make(type, row, src);
    row.name = unique_name(row.type, row.ns, std::move(content.name));
    set_dates(row);
    row.object_id = object_id(row.created_ms);
    set_counters(row, type, rank, content.appeal);
    set_visibility(row, type);
    return row;
  }
};

CatalogGenerator::CatalogGenerator(uint64_t seed, int64_t now_ms, int64_t expected_total)
    : impl_(std::make_unique<Impl>(seed, now_ms, expected_total)) {}
CatalogGenerator::~CatalogGenerator() = default;

void CatalogGenerator::reserve(const storage::RepoRow& existing) {
  impl_->names.insert(key_of({existing.type, existing.ns, existing.name}));
  impl_->object_ids.insert(key_of({existing.object_id}));
  ++impl_->reserved;
}

storage::RepoRow CatalogGenerator::next(RepoType type, GeneratedSource* source) {
  return impl_->next(type, source);
}

Result<GenerateReport> generate_catalog(storage::Db& db, const CatalogCounts& counts, uint64_t seed,
                                        int64_t now_ms,
                                        const std::function<void(int64_t, int64_t)>& progress) {
  auto started = std::chrono::steady_clock::now();
  CatalogGenerator generator(seed, now_ms, counts.total());
  WHARF_TRY_VOID(db.for_each_repo([&](const RepoRow& row) { generator.reserve(row); }));
  // Types interleaved at random in proportion to what is left, as repos are created.
  Rng order(seed ^ kOrderSalt);
  CatalogCounts left = counts;
  GenerateReport report;
  std::vector<RepoRow> batch;
  batch.reserve(kGenerateBatch);
  while (left.total() > 0) {
    batch.clear();
    CatalogCounts in_batch;
    while (batch.size() < kGenerateBatch && left.total() > 0) {
      auto k = static_cast<int64_t>(order.below(static_cast<uint64_t>(left.total())));
      RepoType type = k < left.models                   ? RepoType::Model
                      : k < left.models + left.datasets ? RepoType::Dataset
                                                        : RepoType::Space;
      --count_of(left, type);
      ++count_of(in_batch, type);
      batch.push_back(generator.next(type));
    }
    // In the order of the store's unique (type, namespace, name) index: each of its pages is
    // then read and written once per batch, not once per row (half the time at 1.5M rows).
    // Ids follow creation to within a batch (~20 days of the catalog's history).
    std::sort(batch.begin(), batch.end(), index_order);
    WHARF_TRY_VOID(db.insert_repos_bulk(batch));
    report.written.models += in_batch.models;
    report.written.datasets += in_batch.datasets;
    report.written.spaces += in_batch.spaces;
    if (progress) progress(report.written.total(), counts.total());
  }
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  return report;
}

}  // namespace wharf::hub
