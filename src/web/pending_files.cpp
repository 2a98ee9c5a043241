// TEMPORARY scaffold while the pages are being built this session; replaced by
// file_pages.cpp and commit_pages.cpp.
#include "web/pages.h"

namespace wharf::web {
Result<http::Response> tree_page(PageCall&, const PageRoute&) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> blob_page(PageCall&, const PageRoute&) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> commits_page(PageCall&, const PageRoute&) { return fail(errors::not_implemented("not built yet")); }
Result<http::Response> commit_page(PageCall&, const PageRoute&) { return fail(errors::not_implemented("not built yet")); }
}  // namespace wharf::web
