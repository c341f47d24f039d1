//! A page's data, fetched by a server function, whose fetch stops when the page is dropped.
//!
//! Server rendering builds every page under a layout twice: a dry pass over the router's
//! `<Outlet/>` (tachys `dry_resolve` calls its view function and drops the result) and the real
//! render. Each copy's `Resource` spawns its fetch at once, and a spawned fetch outlives the
//! dropped copy: it goes on without the request it belonged to, repeats the database work, and
//! fails halfway through its server function (`AppContext missing from the request context`).
//! [`page_resource`] is `Resource::new` whose fetch is abandoned when its owner is cleaned up, or
//! (a request the client gave up on, whose owners are dropped without a clean-up) when it can no
//! longer reach its request.
//!
//! [`awaited`] shows a resource's value where a `<Suspense>` would, built once: on the server a
//! `Suspense` walks its children before they are rendered to find what they read (tachys
//! `dry_resolve`), and walks them again once the data are in to find reads that depended on it,
//! so each child component was built two or three times for the one that is rendered (counted
//! on `/card` with uprobes: the card 13 times and the code island 11 in five requests).

use leptos::prelude::*;
use plaza_types::AppError;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// What an abandoned fetch resolves to; nobody reads it, the page that wanted it is gone.
pub trait Abandoned {
    fn abandoned() -> Self;
}

impl<T> Abandoned for Result<T, AppError> {
    fn abandoned() -> Self {
        Err(AppError::Unavailable)
    }
}

impl<T> Abandoned for Option<T> {
    fn abandoned() -> Self {
        None
    }
}

/// `Resource::new(source, fetcher)`, with each fetch stopped when the resource's owner (the page
/// copy that asked for it) is cleaned up.
pub fn page_resource<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: Abandoned + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new(source, move |s| UntilCleanedUp::new(fetcher(s), request_reachable))
}

/// The view of `resource`'s value, once it is there: a `Suspend` outside any `<Suspense>`, which
/// the server awaits in place (pages render whole, `SsrMode::Async`) without walking the view
/// first. For server-rendered parts of a page (not inside an island, where a `<Suspense>`'s
/// fallback is what the browser shows while a value loads).
pub fn awaited<T, V>(resource: Resource<T>, render: impl FnOnce(T) -> V + Send + 'static) -> Suspend<V>
where
    T: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    V: IntoView + 'static,
{
    Suspend::new(async move { render(resource.await) })
}

#[derive(Default)]
struct Gone {
    flag: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

struct UntilCleanedUp<F> {
    fetch: Pin<Box<F>>,
    gone: Arc<Gone>,
    /// Whether the request is still reachable; `None`: not started inside one (the browser).
    reachable: Option<fn() -> bool>,
}

/// Whether the current owner still reaches its request's context. A request the client abandons
/// is dropped without its owners being cleaned up, and the request's own owner goes first: a
/// fetch waiting for the database then wakes under an owner whose parent is gone (no
/// `AppContext`, and nobody to read what it fetches).
fn request_reachable() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::server::AppContext>().is_some()
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

impl<F> UntilCleanedUp<F> {
    fn new(fetch: F, reachable: fn() -> bool) -> Self {
        let gone = Arc::new(Gone::default());
        let on_gone = Arc::clone(&gone);
        on_cleanup(move || {
            on_gone.flag.store(true, Ordering::Release);
            if let Some(waker) = on_gone.waker.lock().ok().and_then(|mut w| w.take()) {
                waker.wake();
            }
        });
        UntilCleanedUp { fetch: Box::pin(fetch), gone, reachable: reachable().then_some(reachable) }
    }
}

impl<F: Future> Future for UntilCleanedUp<F>
where
    F::Output: Abandoned,
{
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.gone.flag.load(Ordering::Acquire) || self.reachable.is_some_and(|reachable| !reachable()) {
            return Poll::Ready(F::Output::abandoned());
        }
        if let Ok(mut waker) = self.gone.waker.lock() {
            *waker = Some(cx.waker().clone());
        }
        self.fetch.as_mut().poll(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Wake;

    struct Nothing;
    impl Wake for Nothing {
        fn wake(self: Arc<Self>) {}
    }

    #[test]
    fn a_fetch_stops_when_its_owner_is_cleaned_up() {
        let owner = Owner::new();
        let mut fetch =
            owner.with(|| UntilCleanedUp::new(std::future::pending::<Result<i32, AppError>>(), request_reachable));
        let waker = Waker::from(Arc::new(Nothing));
        let mut cx = Context::from_waker(&waker);
        assert!(Pin::new(&mut fetch).poll(&mut cx).is_pending());
        owner.cleanup();
        assert_eq!(Pin::new(&mut fetch).poll(&mut cx), Poll::Ready(Err(AppError::Unavailable)));
    }

    #[test]
    fn a_live_fetch_gives_its_answer() {
        let owner = Owner::new();
        let mut fetch = owner.with(|| UntilCleanedUp::new(std::future::ready(Some(7)), request_reachable));
        let waker = Waker::from(Arc::new(Nothing));
        assert_eq!(Pin::new(&mut fetch).poll(&mut Context::from_waker(&waker)), Poll::Ready(Some(7)));
    }

    #[derive(Clone)]
    struct Request;

    fn reachable() -> bool {
        use_context::<Request>().is_some()
    }

    /// A request the client abandoned: its owner dropped, not cleaned up, while a fetch started
    /// under a child owner still waits. The fetch gives up when it wakes instead of going on
    /// without its request.
    #[test]
    fn a_fetch_stops_when_its_request_is_dropped() {
        let request = Owner::new();
        request.with(|| provide_context(Request));
        let page = request.with(Owner::new);
        let mut fetch = page.with(|| UntilCleanedUp::new(std::future::pending::<Option<i32>>(), reachable));
        let waker = Waker::from(Arc::new(Nothing));
        let mut cx = Context::from_waker(&waker);
        assert!(page.with(|| Pin::new(&mut fetch).poll(&mut cx)).is_pending(), "the request is there");
        drop(request);
        assert_eq!(page.with(|| Pin::new(&mut fetch).poll(&mut cx)), Poll::Ready(None));
    }
}
