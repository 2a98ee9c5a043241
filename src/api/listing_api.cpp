// Listing and search (spec §6): GET /api/models, /api/datasets, /api/spaces, answered from
// the in-memory catalog (hub/catalog); and the tag catalogues GET /api/models-tags-by-type,
// /api/datasets-tags-by-type.
#include <charconv>
#include <set>

#include "api/context.h"
#include "api/listing_json.h"
#include "hub/card_vocabulary.h"
#include "hub/discovery.h"

namespace wharf::api {
namespace {

constexpr std::size_t kDefaultPage = 1000;  // the Hub's page when the caller sets no limit
constexpr std::size_t kMaxParamValues = 64;

Result<std::size_t> limit_param(const QueryParams& q) {
  auto v = q.get("limit");
  if (!v) return kDefaultPage;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  bool digits = !v->empty() && end == v->data() + v->size();
  if (digits && ec == std::errc::result_out_of_range) return hub::kMaxCatalogPage;
  if (!digits || ec != std::errc() || n == 0) return fail(errors::bad_request("limit must be a positive integer"));
  return std::min(n, hub::kMaxCatalogPage);  // larger limits are paginated, as on the Hub
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
    if (out.size() > kMaxParamValues) return fail(errors::bad_request("Too many values for " + std::string(key)));
  }
  return out;
}

Result<hub::CatalogQuery> parse_query(Call& c) {
  hub::CatalogQuery q;
  q.type = c.route.repo.type;
  const auto& p = c.query;
  // Python sends `search` as a one-element list; several values must all match... the Hub
  // takes one. Keep the first.
  q.search = p.get("search").value_or("");
  q.author = p.get("author").value_or("");
  q.tags = WHARF_TRY(list_param(p, "filter"));
  // Convenience filters the Hub also accepts as plain parameters.
  bool is_dataset = q.type == hub::RepoType::Dataset;
  for (const auto& l : WHARF_TRY(list_param(p, "language"))) q.tags.push_back(is_dataset ? "language:" + l : l);
  for (const auto& l : WHARF_TRY(list_param(p, "license"))) q.tags.push_back("license:" + l);
  for (const auto& d : WHARF_TRY(list_param(p, "dataset"))) q.tags.push_back("dataset:" + d);
  for (const auto& t : WHARF_TRY(list_param(p, "task_categories"))) q.tags.push_back("task_categories:" + t);
  q.pipeline_tag = p.get("pipeline_tag").value_or("");
  q.library_name = p.get("library").value_or("");
  if (auto g = p.get("gated")) {
    if (*g == "true" || *g == "True" || *g == "1") q.gated = true;
    else if (*g == "false" || *g == "False" || *g == "0") q.gated = false;
    else return fail(errors::bad_request("gated must be true or false"));
  }
  if (auto s = p.get("sort"); s && !s->empty()) {
    auto sort = hub::parse_catalog_sort(*s);
    if (!sort) return fail(errors::bad_request("Unsupported sort: " + *s));
    q.sort = *sort;
  }
  if (auto d = p.get("direction"); d && *d != "-1" && *d != "1")
    return fail(errors::bad_request("direction must be -1"));
  q.limit = WHARF_TRY(limit_param(p));
  q.cursor = p.get("cursor").value_or("");
  if (q.tags.size() > hub::kMaxCatalogFilters)
    return fail(errors::bad_request("At most " + std::to_string(hub::kMaxCatalogFilters) + " filters per query"));
  return q;
}

}  // namespace

Result<http::Response> handle_listing(Call& c) {
  auto q = WHARF_TRY(parse_query(c));
  auto fields = WHARF_TRY(listing_fields(c.query, q.type));
  q.may_see_private = hub::private_repo_filter(c.hub, c.who);
  auto page = WHARF_TRY(c.hub.catalog().query(q));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : page.items) out.push_back(WHARF_TRY(listing_item(c, e, fields)));
  auto res = json_response(out);
  if (!page.next_cursor.empty())
    res.headers.set("Link", "<" + c.link_with("cursor", page.next_cursor) + ">; rel=\"next\"");
  return res;
}

// {"pipeline_tag": [...], "library": [...], "language": [...], "license": [...], "dataset": [...],
//  "region", "arxiv", "doi", "other": [...]} for models, each entry {id, label, type, count}
// (the Hub's types); datasets group by their tag prefixes. Only tags of public repos count.
Result<http::Response> handle_tags_by_type(Call& c) {
  auto type = c.route.repo.type;
  auto counts = c.hub.catalog().tag_counts(type, "", 5000);
  nlohmann::json out = nlohmann::json::object();
  auto add = [&](const std::string& group, const std::string& id, const std::string& label, int64_t n) {
    out[group].push_back({{"id", id}, {"label", label}, {"type", group}, {"count", n}});
  };
  for (const auto& t : counts) {
    const std::string& tag = t.tag;
    auto colon = tag.find(':');
    if (type == hub::RepoType::Dataset) {
      if (colon == std::string::npos) add("other", tag, tag, t.count);
      else add(tag.substr(0, colon), tag, tag.substr(colon + 1), t.count);
      continue;
    }
    if (colon != std::string::npos) {
      std::string prefix = tag.substr(0, colon);
      if (prefix == "license" || prefix == "dataset" || prefix == "region" || prefix == "arxiv" || prefix == "doi")
        add(prefix, tag, tag.substr(colon + 1), t.count);
      else add("other", tag, tag, t.count);
    } else if (hub::is_known_pipeline_tag(tag)) {
      add("pipeline_tag", tag, tag, t.count);
    } else if (hub::is_known_library(tag)) {
      add("library", tag, tag, t.count);
    } else if (hub::is_iso639_1(tag)) {
      add("language", tag, tag, t.count);
    } else {
      add("other", tag, tag, t.count);
    }
  }
  return json_response(out);
}

}  // namespace wharf::api
