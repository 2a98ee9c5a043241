#include "web/templates.h"

#include <map>
#include <stdexcept>

#include "web/assets.h"

namespace wharf::web {
namespace {

constexpr std::string_view kDir = "templates/", kSuffix = ".mustache";

// Every template by name, as mstch partials (built once).
const std::map<std::string, std::string>& partials() {
  static const std::map<std::string, std::string> all = [] {
    std::map<std::string, std::string> m;
    for (const auto& a : all_assets())
      if (a.name.starts_with(kDir) && a.name.ends_with(kSuffix))
        m.emplace(a.name.substr(kDir.size(), a.name.size() - kDir.size() - kSuffix.size()), a.content);
    return m;
  }();
  return all;
}

}  // namespace

std::optional<std::string_view> find_asset(std::string_view name) {
  for (const auto& a : all_assets())
    if (a.name == name) return a.content;
  return std::nullopt;
}

std::string render_template(std::string_view page, const mstch::map& ctx) {
  // Per page, the partials with "content" bound to that page (built once: mstch takes the
  // partials as one map).
  static const std::map<std::string, std::map<std::string, std::string>, std::less<>> by_page = [] {
    std::map<std::string, std::map<std::string, std::string>, std::less<>> m;
    for (const auto& [name, text] : partials()) {
      auto with_content = partials();
      with_content["content"] = text;
      m.emplace(name, std::move(with_content));
    }
    return m;
  }();
  auto it = by_page.find(page);
  if (it == by_page.end()) throw std::logic_error("no template " + std::string(page));
  return mstch::render(partials().at("layout"), ctx, it->second);
}

}  // namespace wharf::web
