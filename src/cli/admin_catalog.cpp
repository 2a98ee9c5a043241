// `wharf admin generate-catalog`: a synthetic catalog at the Hub's scale written into the
// metadata store (hub/catalog_generator), for the discovery benchmark.
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "cli/admin.h"
#include "hub/catalog_generator.h"
#include "util/time.h"

namespace wharf::cli {
namespace {

constexpr const char* kUsage =
    "usage: wharf admin generate-catalog [--models N] [--datasets N] [--spaces N] [--seed S]"
    " [--data-dir DIR]\n"
    "       e.g. --models 1000000 --datasets 200000 --spaces 350000 (the Hub's scale)\n";

struct CatalogOptions {
  hub::CatalogCounts counts;
  uint64_t seed = 1;
};

// Parses an unsigned decimal, the whole of `text`.
std::optional<uint64_t> parse_count(std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// Takes the generator's options out of `args` (the other options are the environment's,
// parsed by open_environment). Accepts "--models N" and "--models=N".
Result<CatalogOptions> take_options(std::vector<std::string>& args) {
  CatalogOptions o;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    std::string key(a.substr(0, a.find('=')));
    int64_t* count = key == "--models"     ? &o.counts.models
                     : key == "--datasets" ? &o.counts.datasets
                     : key == "--spaces"   ? &o.counts.spaces
                                           : nullptr;
    if (!count && key != "--seed") {
      rest.push_back(args[i]);
      continue;
    }
    std::string value;
    if (key.size() < a.size())
      value = std::string(a.substr(key.size() + 1));
    else if (i + 1 < args.size())
      value = args[++i];
    else
      return fail(errors::bad_request(key + " needs a value"));
    auto v = parse_count(value);
    if (!v)
      return fail(
          errors::bad_request(key + " must be a non-negative integer, not '" + value + "'"));
    if (!count) {
      o.seed = *v;
      continue;
    }
    if (*v > static_cast<uint64_t>(hub::kMaxGeneratedRepos))
      return fail(errors::bad_request(key + " " + value + " is too many: at most " +
                                      std::to_string(hub::kMaxGeneratedRepos) + " per type"));
    *count = static_cast<int64_t>(*v);
  }
  args = std::move(rest);
  return o;
}

uint64_t file_size(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : n;
}

double mib(uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

int generate(Environment& env, const CatalogOptions& o) {
  if (o.counts.total() == 0)
    return admin_report(
        errors::bad_request("Nothing to generate: give --models, --datasets or --spaces"));
  int64_t next_report = 200'000;
  auto report = hub::generate_catalog(
      env.hub->db(), o.counts, o.seed, now_ms(), [&](int64_t done, int64_t total) {
        if (total < 400'000 || (done < next_report && done < total)) return;
        next_report = done + 200'000;
        std::fprintf(stderr, "  %lld / %lld repos\n", static_cast<long long>(done),
                     static_cast<long long>(total));
      });
  if (!report) return admin_report(report.error());
  const auto& w = report->written;
  double secs = static_cast<double>(report->elapsed_ms) / 1000.0;
  std::printf(
      "generated %lld models, %lld datasets, %lld spaces (seed %llu) in %.1f s (%.0f repos/s)\n",
      static_cast<long long>(w.models), static_cast<long long>(w.datasets),
      static_cast<long long>(w.spaces), static_cast<unsigned long long>(o.seed), secs,
      secs > 0 ? static_cast<double>(w.total()) / secs : 0.0);
  std::string db = env.config.data_dir + "/wharf.db";
  uint64_t main = file_size(db), wal = file_size(db + "-wal");
  std::printf("database: %.1f MiB (wharf.db %.1f MiB + wal %.1f MiB)\n", mib(main + wal), mib(main),
              mib(wal));
  return 0;
}

}  // namespace

int run_admin_catalog(const std::vector<std::string>& args) {
  bool named = false;
  for (const auto& a : args) named = named || a == "generate-catalog";
  if (!named) return -1;
  std::vector<std::string> rest = args;
  auto options = take_options(rest);
  if (!options) {
    std::fprintf(stderr, "wharf admin: %s\n%s", options.error().message.c_str(), kUsage);
    return 2;
  }
  Environment env;
  if (int code = open_environment(rest, env); code >= 0) return code;
  if (env.rest != std::vector<std::string>{"generate-catalog"}) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  return generate(env, *options);
}

}  // namespace wharf::cli
