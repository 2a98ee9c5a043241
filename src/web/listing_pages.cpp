// The listings /models, /datasets and /spaces: a search box, facets with counts, a sort and
// cursor pages, answered from the catalog with the API's parameters (hub/listing_query), so
// that a listing URL filters the same way on the page and in GET /api/models.
#include <algorithm>
#include <array>
#include <map>
#include <span>

#include "hub/discovery.h"
#include "hub/listing_query.h"
#include "util/encoding.h"
#include "web/human_format.h"
#include "web/pages.h"
#include "web/repo_list.h"
#include "web/repo_view.h"

namespace wharf::web {
namespace {

constexpr std::size_t kPage = 30;
constexpr std::size_t kMaxPage = 100;  // a page's `limit` is clamped to this
constexpr std::size_t kChipsPerFacet = 10;
constexpr std::size_t kGlobalTags = 5000;  // tags read when the counts are the catalog's

// The sort names of the Hub's pages, in the order of the page's menu. The API's names
// ("lastModified", ...) are accepted too.
struct SortName {
  std::string_view name, label;
  hub::CatalogSort sort;
};
constexpr std::array<SortName, 6> kSorts = {
    {{"trending", "Trending", hub::CatalogSort::Trending},
     {"downloads", "Most downloads", hub::CatalogSort::Downloads},
     {"likes", "Most likes", hub::CatalogSort::Likes},
     {"modified", "Recently updated", hub::CatalogSort::LastModified},
     {"created", "Recently created", hub::CatalogSort::CreatedAt},
     {"alphabetical", "Name", hub::CatalogSort::Id}}};

std::optional<hub::CatalogSort> parse_page_sort(std::string_view s) {
  for (const auto& n : kSorts)
    if (n.name == s) return n.sort;
  return hub::parse_catalog_sort(s);
}

// A facet: the tag group (hub::tag_group) it counts and the parameter that filters on it.
// A single-valued parameter (pipeline_tag, library) is replaced by a click, a list one grows.
struct Facet {
  std::string_view group, param, title;
  bool single = false;
};
constexpr std::array<Facet, 5> kModelFacets = {{{"pipeline_tag", "pipeline_tag", "Tasks", true},
                                                {"library", "library", "Libraries", true},
                                                {"language", "language", "Languages"},
                                                {"license", "license", "Licenses"},
                                                {"other", "filter", "Other tags"}}};
constexpr std::array<Facet, 4> kDatasetFacets = {{{"task_categories", "task_categories", "Tasks"},
                                                  {"language", "language", "Languages"},
                                                  {"license", "license", "Licenses"},
                                                  {"other", "filter", "Other tags"}}};
constexpr std::array<Facet, 2> kSpaceFacets = {
    {{"license", "license", "Licenses"}, {"other", "filter", "Other tags"}}};

std::span<const Facet> facets_of(hub::RepoType type) {
  switch (type) {
    case hub::RepoType::Model:
      return kModelFacets;
    case hub::RepoType::Dataset:
      return kDatasetFacets;
    case hub::RepoType::Space:
      return kSpaceFacets;
  }
  return {};
}

// The parameters that narrow the result (each shown as a removable filter).
bool is_filter_param(std::string_view key) {
  for (std::string_view k : {"search", "author", "filter", "language", "license", "dataset",
                             "task_categories", "pipeline_tag", "library", "gated"})
    if (key == k) return true;
  return false;
}

// The page's parameters as links rebuild them: without the cursor, one pair per value of a
// list parameter ("a,b" split), so that a link can add or drop a single filter.
using Params = std::vector<std::pair<std::string, std::string>>;

Params page_params(const QueryParams& q) {
  Params out;
  for (const auto& [k, v] : q.items()) {
    if (k == "cursor") continue;
    bool list = std::find(hub::kListingListParams.begin(), hub::kListingListParams.end(), k) !=
                hub::kListingListParams.end();
    if (!list) {
      out.emplace_back(k, v);
      continue;
    }
    for (std::size_t start = 0; start <= v.size();) {
      auto comma = std::min(v.find(',', start), v.size());
      if (comma > start) out.emplace_back(k, v.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

Params without(Params p, std::string_view key,
               std::optional<std::string_view> value = std::nullopt) {
  std::erase_if(p,
                [&](const auto& kv) { return kv.first == key && (!value || kv.second == *value); });
  return p;
}

std::string encode(const Params& p) {
  std::string out;
  for (const auto& [k, v] : p) {
    if (!out.empty()) out += '&';
    out += percent_encode(k) + "=" + percent_encode(v);
  }
  return out;
}

std::string href(const PageCall& c, hub::RepoType type, const Params& p) {
  return c.base + listing_path(type, encode(p));
}

mstch::array hidden_inputs(const Params& p) {
  mstch::array out;
  for (const auto& [k, v] : p) out.push_back(mstch::map{{"name", k}, {"value", v}});
  return out;
}

// Counts per tag group, by label: {"license": {"mit": 3}}.
using GroupCounts = std::map<std::string, std::map<std::string, int64_t>>;

struct FacetCounts {
  GroupCounts groups;
  std::optional<std::size_t> total;  // the result's size when the counts are the result's
};

bool narrows(const hub::CatalogQuery& q) {
  return !q.search.empty() || !q.author.empty() || !q.tags.empty() || !q.pipeline_tag.empty() ||
         !q.library_name.empty() || q.gated.has_value();
}

// The facets count the tags of the whole result when it fits in one catalog page; a larger
// result shows the catalog's counts over all public repos of the type instead, which a
// query of kMaxCatalogPage could not give and which an unfiltered listing equals anyway.
Result<FacetCounts> facet_counts(PageCall& c, const hub::CatalogQuery& q,
                                 const hub::CatalogPage& page) {
  hub::CatalogPage whole;
  const std::vector<hub::CatalogEntry>* result = nullptr;
  if (q.cursor.empty() && page.next_cursor.empty()) {
    result = &page.items;
  } else if (narrows(q)) {
    auto all = q;
    all.cursor.clear();
    all.limit = hub::kMaxCatalogPage;
    all.may_see_private = hub::private_repo_filter(c.hub, c.who);
    whole = WHARF_TRY(c.hub.catalog().query(all));
    if (whole.next_cursor.empty()) result = &whole.items;
  }
  FacetCounts out;
  auto add = [&](const std::string& tag, int64_t n) {
    auto g = hub::tag_group(q.type, tag);
    out.groups[g.group][g.label] += n;
  };
  if (result) {
    for (const auto& e : *result)
      for (const auto& t : e.tags) add(t, 1);
    out.total = result->size();
  } else {
    for (const auto& t : c.hub.catalog().tag_counts(q.type, "", kGlobalTags)) add(t.tag, t.count);
  }
  return out;
}

// The facet's chips: the values in use first (highlighted, a click removes them), then the
// most common others (a click adds them, or replaces the value of a single-valued facet).
mstch::array facet_chips(const PageCall& c, hub::RepoType type, const Facet& f,
                         const std::map<std::string, int64_t>& counts, const Params& params) {
  std::vector<std::string> active;
  for (const auto& [k, v] : params)
    if (k == f.param && (!f.single || active.empty())) active.push_back(v);
  auto count_of = [&](const std::string& label) {
    auto it = counts.find(label);
    return it == counts.end() ? int64_t{0} : it->second;
  };
  std::vector<std::pair<std::string, int64_t>> ranked;
  for (const auto& [label, n] : counts) {
    // Prefixed tags of models and Spaces (base_model:..., arxiv:...) are not browsed here.
    bool prefixed = f.group == "other" && type != hub::RepoType::Dataset &&
                    label.find(':') != std::string::npos;
    if (!prefixed && std::find(active.begin(), active.end(), label) == active.end())
      ranked.emplace_back(label, n);
  }
  auto top = std::min(ranked.size(), kChipsPerFacet);
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top), ranked.end(),
                    [](const auto& a, const auto& b) {
                      return a.second != b.second ? a.second > b.second : a.first < b.first;
                    });
  ranked.resize(top);
  mstch::array out;
  for (const auto& v : active)
    out.push_back(mstch::map{{"label", v},
                             {"n", human_count(count_of(v))},
                             {"active", true},
                             {"href", href(c, type, without(params, f.param, v))}});
  for (const auto& [label, n] : ranked) {
    Params next = f.single ? without(params, f.param) : params;
    next.emplace_back(std::string(f.param), label);
    out.push_back(mstch::map{
        {"label", label}, {"n", human_count(n)}, {"active", false}, {"href", href(c, type, next)}});
  }
  return out;
}

mstch::array facets_context(const PageCall& c, hub::RepoType type, const FacetCounts& counts,
                            const Params& params) {
  static const std::map<std::string, int64_t> none;
  mstch::array out;
  for (const auto& f : facets_of(type)) {
    auto it = counts.groups.find(std::string(f.group));
    auto chips = facet_chips(c, type, f, it == counts.groups.end() ? none : it->second, params);
    if (!chips.empty())
      out.push_back(mstch::map{{"title", std::string(f.title)}, {"chips", chips}});
  }
  return out;
}

// Every filter in use, each with the link that drops it (author, gated and search included,
// which have no facet).
mstch::array active_filters(const PageCall& c, hub::RepoType type, const Params& params) {
  mstch::array out;
  for (const auto& [k, v] : params)
    if (is_filter_param(k) && !v.empty())
      out.push_back(
          mstch::map{{"label", k + ": " + v}, {"href", href(c, type, without(params, k, v))}});
  return out;
}

mstch::array sort_options(hub::CatalogSort current) {
  mstch::array out;
  for (const auto& s : kSorts)
    out.push_back(mstch::map{{"value", std::string(s.name)},
                             {"label", std::string(s.label)},
                             {"selected", s.sort == current}});
  return out;
}

}  // namespace

Result<http::Response> listing_page(PageCall& c, hub::RepoType type) {
  auto query = QueryParams::parse(c.req.query);
  auto q = WHARF_TRY(hub::parse_listing_query(query, type, kPage, parse_page_sort));
  if (query.get("sort").value_or("").empty())
    q.sort = hub::CatalogSort::Trending;  // the Hub's pages' default
  q.limit = std::min(q.limit, kMaxPage);
  q.may_see_private = hub::private_repo_filter(c.hub, c.who);
  auto page = WHARF_TRY(c.hub.catalog().query(q));
  auto counts = WHARF_TRY(facet_counts(c, q, page));
  auto params = page_params(query);

  std::string title(type_title(type));
  std::string lower = title;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  auto filters = active_filters(c, type, params);
  mstch::map ctx{{"title", title},
                 {"title_lower", lower},
                 {"wide", true},
                 {"listing_path", listing_path(type)},
                 {"search", q.search},
                 {"search_hidden", hidden_inputs(without(params, "search"))},
                 {"sort_hidden", hidden_inputs(without(params, "sort"))},
                 {"sorts", sort_options(q.sort)},
                 {"facets", facets_context(c, type, counts, params)},
                 {"active_filters", filters},
                 {"has_filters", !filters.empty()},
                 {"repos", repo_list_items(c, page.items)},
                 {"has_repos", !page.items.empty()},
                 {"total_known", counts.total.has_value()},
                 {"total", std::to_string(counts.total.value_or(0))}};
  if (!page.next_cursor.empty()) {
    auto next = params;
    next.emplace_back("cursor", page.next_cursor);
    ctx["next_href"] = href(c, type, next);
  }
  if (!q.cursor.empty()) ctx["first_href"] = href(c, type, params);
  return render_page(c, "listing", ctx);
}

}  // namespace wharf::web
