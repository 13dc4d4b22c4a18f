// Namespace resolution, indexed for elements with many declarations.
#include "soap/xml_names.hpp"

#include <gtest/gtest.h>

#include <string>

namespace outbound::soap::detail {
namespace {

// An element <r> with `n` declarations xmlns:pK='urn:K' and one child per prefix.
std::string many_declarations(int n, const std::string& extra = "") {
  std::string attrs, children;
  for (int i = 0; i < n; ++i) {
    attrs += " xmlns:p" + std::to_string(i) + "='urn:" + std::to_string(i) + "'";
    children += "<p" + std::to_string(i) + ":c/>";
  }
  return "<r" + attrs + extra + ">" + children + "<q:c/><c/></r>";
}

TEST(namespace_index, agrees_with_a_plain_scan_on_small_and_indexed_elements) {
  for (int n : {2, 16, 17, 200}) {
    pugi::xml_document doc;
    const std::string xml = many_declarations(n, " xmlns:q='' xmlns='urn:default' xmlns:p0='x'");
    ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
    namespace_index index;
    int i = 0;
    for (auto c = doc.first_child().first_child(); c; c = c.next_sibling(), ++i) {
      SCOPED_TRACE(std::string(c.name()) + " n=" + std::to_string(n));
      const auto plain = resolve_element(c);
      const auto indexed = index.resolve_element(c);
      EXPECT_EQ(plain.uri, indexed.uri);
      EXPECT_EQ(plain.local, indexed.local);
      if (i < n) {
        EXPECT_EQ(indexed.uri, "urn:" + std::to_string(i));  // the first p0 wins
      }
    }
    const auto root = doc.first_child();
    EXPECT_EQ(index.resolve(root, "q"), std::nullopt);  // xmlns:q='' declares nothing
    EXPECT_EQ(index.resolve(root, ""), "urn:default");
    EXPECT_EQ(index.resolve(root, "xml"), "http://www.w3.org/XML/1998/namespace");
    EXPECT_EQ(index.resolve(root, "undeclared"), std::nullopt);
  }
}

// 20,000 prefixes on one element took seconds per lookup pass before (each lookup scanned them
// all); through the index, resolving every child is linear.
TEST(namespace_index, resolves_every_child_of_a_heavily_declared_element) {
  pugi::xml_document doc;
  const std::string xml = many_declarations(20'000);
  ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
  namespace_index index;
  child_scope scope(doc.first_child(), index);
  int resolved = 0;
  for (auto c = doc.first_child().first_child(); c; c = c.next_sibling())
    if (scope.resolve_element(c).uri) ++resolved;
  EXPECT_EQ(resolved, 20'001);  // all but q:c
}

}  // namespace
}  // namespace outbound::soap::detail
