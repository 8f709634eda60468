#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its `mimalloc.h`; the Rust binding
/// leaves most options unnamed): how long freed memory waits before it is
/// returned to the system, in milliseconds; -1 never.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // `serve` rebuilds a model of the same size on every save, seconds apart.
    // Returned to the system in between, that memory is faulted back in page
    // by page on the next rebuild: a third of a 10,000-page site's rebuild.
    // Kept, it is reused; serve's footprint stays at the high-water mark it
    // reaches on every rebuild anyway. A build is left as it is: it ends soon,
    // and keeping freed memory would raise its peak.
    if std::env::args_os().nth(1).is_some_and(|a| a == "serve") {
        // SAFETY: sets one option; mimalloc allows it at any time.
        #[allow(unsafe_code)]
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    }
    gongshi::cli::main()
}

#[cfg(test)]
mod tests {
    /// The option's number is written by hand: if mimalloc renumbered its
    /// options, this would set some other one. Its default in mimalloc 3
    /// (`options.c`) is 1000 ms; its neighbours' are 1 and 0.
    #[test]
    fn purge_delay_is_the_option_it_names() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            panic!("unset MIMALLOC_PURGE_DELAY to run this test: it reads mimalloc's default");
        }
        // SAFETY: reads one option.
        #[allow(unsafe_code)]
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
