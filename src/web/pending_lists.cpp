// TEMPORARY scaffold while the pages are being built this session; replaced by
// home_page.cpp, listing_pages.cpp and profile_pages.cpp.
#include "web/pages.h"

namespace wharf::web {
Result<http::Response> home_page(PageCall&) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> listing_page(PageCall&, hub::RepoType) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> profile_page(PageCall&, const std::string&) { return fail(errors::not_implemented("not built yet")); }
}  // namespace wharf::web
