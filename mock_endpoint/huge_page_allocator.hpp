#pragma once
// An allocator that asks for 2 MiB pages (transparent huge pages) for blocks of 2 MiB or more:
// for tables far larger than the TLB reaches, each random lookup is then a cache miss without
// a page walk as well. Smaller blocks come from the standard allocator.
//   std::vector<slot, huge_page_allocator<slot>> slots(millions);

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace outbound::mock_endpoint {

template <class T>
struct huge_page_allocator {
  using value_type = T;
  static constexpr std::size_t huge_page = std::size_t{2} << 20;

  huge_page_allocator() = default;
  template <class U>
  explicit huge_page_allocator(const huge_page_allocator<U>&) {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge_page) return std::allocator<T>().allocate(n);
    const std::size_t whole = (bytes + huge_page - 1) / huge_page * huge_page;
    void* p = std::aligned_alloc(huge_page, whole);
    if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    // Advice only: where the kernel has no huge pages to give (or THP is off), 4 KiB pages serve.
    ::madvise(p, whole, MADV_HUGEPAGE);
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < huge_page) {
      std::allocator<T>().deallocate(p, n);
    } else {
      std::free(p);
    }
  }
  friend bool operator==(const huge_page_allocator&, const huge_page_allocator&) {
    return true;
  }
};

}  // namespace outbound::mock_endpoint
