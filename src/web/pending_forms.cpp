// TEMPORARY scaffold while the pages are being built this session; replaced by
// new_repo_page.cpp, repo_settings_page.cpp, upload_pages.cpp and gated_pages.cpp.
#include "web/pages.h"

namespace wharf::web {
Result<http::Response> new_repo_page(PageCall&, hub::RepoType) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> settings_page(PageCall&, const PageRoute&) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> upload_page(PageCall&, const PageRoute&) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> edit_page(PageCall&, const PageRoute&) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> request_access_page(PageCall&, const PageRoute&) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> access_requests_page(PageCall&, const PageRoute&) { return fail(errors::not_implemented("not built yet")); }
}  // namespace wharf::web
