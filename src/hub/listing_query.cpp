#include "hub/listing_query.h"

#include <algorithm>
#include <charconv>

#include "hub/card_vocabulary.h"

namespace wharf::hub {
namespace {

constexpr std::size_t kMaxParamValues = 64;

Result<std::size_t> limit_param(const QueryParams& q, std::size_t default_limit) {
  auto v = q.get("limit");
  if (!v) return default_limit;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  bool digits = !v->empty() && end == v->data() + v->size();
  if (digits && ec == std::errc::result_out_of_range) return kMaxCatalogPage;
  if (!digits || ec != std::errc() || n == 0)
    return fail(errors::bad_request("limit must be a positive integer"));
  return std::min(n, kMaxCatalogPage);  // larger limits are paginated, as on the Hub
}

// Every value of `key`, each split on commas (clients send both "a,b" and a repeated key).
Result<std::vector<std::string>> list_param(const QueryParams& q, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& v : q.all(key)) {
    std::size_t start = 0;
    while (start <= v.size()) {
      auto comma = v.find(',', start);
      if (comma == std::string::npos) comma = v.size();
      if (comma > start) out.push_back(v.substr(start, comma - start));
      start = comma + 1;
    }
    if (out.size() > kMaxParamValues)
      return fail(errors::bad_request("Too many values for " + std::string(key)));
  }
  return out;
}

}  // namespace

Result<CatalogQuery> parse_listing_query(const QueryParams& p, RepoType type,
                                         std::size_t default_limit, SortParser parse_sort) {
  CatalogQuery q;
  q.type = type;
  // Python sends `search` as a one-element list; the Hub takes one value. Keep the first.
  q.search = p.get("search").value_or("");
  q.author = p.get("author").value_or("");
  q.tags = WHARF_TRY(list_param(p, "filter"));
  // Convenience filters the Hub also accepts as plain parameters.
  bool is_dataset = type == RepoType::Dataset;
  for (const auto& l : WHARF_TRY(list_param(p, "language")))
    q.tags.push_back(is_dataset ? "language:" + l : l);
  for (const auto& l : WHARF_TRY(list_param(p, "license"))) q.tags.push_back("license:" + l);
  for (const auto& d : WHARF_TRY(list_param(p, "dataset"))) q.tags.push_back("dataset:" + d);
  for (const auto& t : WHARF_TRY(list_param(p, "task_categories")))
    q.tags.push_back("task_categories:" + t);
  q.pipeline_tag = p.get("pipeline_tag").value_or("");
  q.library_name = p.get("library").value_or("");
  if (auto g = p.get("gated")) {
    if (*g == "true" || *g == "True" || *g == "1")
      q.gated = true;
    else if (*g == "false" || *g == "False" || *g == "0")
      q.gated = false;
    else
      return fail(errors::bad_request("gated must be true or false"));
  }
  if (auto s = p.get("sort"); s && !s->empty()) {
    auto sort = parse_sort(*s);
    if (!sort) return fail(errors::bad_request("Unsupported sort: " + *s));
    q.sort = *sort;
  }
  if (auto d = p.get("direction"); d && *d != "-1" && *d != "1")
    return fail(errors::bad_request("direction must be -1"));
  q.limit = WHARF_TRY(limit_param(p, default_limit));
  q.cursor = p.get("cursor").value_or("");
  if (q.tags.size() > kMaxCatalogFilters)
    return fail(errors::bad_request("At most " + std::to_string(kMaxCatalogFilters) +
                                    " filters per query"));
  return q;
}

TagGroup tag_group(RepoType type, const std::string& tag) {
  auto colon = tag.find(':');
  if (type == RepoType::Dataset) {
    if (colon == std::string::npos) return {"other", tag};
    return {tag.substr(0, colon), tag.substr(colon + 1)};
  }
  if (colon != std::string::npos) {
    std::string prefix = tag.substr(0, colon);
    if (prefix == "license" || prefix == "dataset" || prefix == "region" || prefix == "arxiv" ||
        prefix == "doi")
      return {prefix, tag.substr(colon + 1)};
    return {"other", tag};
  }
  if (is_known_pipeline_tag(tag)) return {"pipeline_tag", tag};
  if (is_known_library(tag)) return {"library", tag};
  if (is_iso639_1(tag)) return {"language", tag};
  return {"other", tag};
}

}  // namespace wharf::hub
