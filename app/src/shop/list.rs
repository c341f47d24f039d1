//! A list of products as shoppers narrow it: sort tabs, a filter form (price range, in stock),
//! the grid, pages, and — when a search finds nothing — suggestions. Everything is a link or a
//! GET form, so the address holds the whole state and the back button works.

use super::card::ProductGrid;
use crate::auth::encode_component;
use crate::components::{page_resource, ErrorBox};
use crate::i18n::{fill, use_lang, use_tr, Tr};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use plaza_types::dto::{BrowsePage, Sort, Suggestions};
use plaza_types::AppError;

/// `min` and `max` are yuan as typed (empty or unreadable: no bound); `shop` a tenant's code.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "shop/browse")]
pub async fn browse_products(
    q: String,
    category: Option<i64>,
    shop: Option<String>,
    min: String,
    max: String,
    stock: bool,
    sort: String,
    page: u32,
) -> Result<BrowsePage, AppError> {
    use crate::server::{app, user_error};
    use plaza_types::dto::{BrowseFilter, CategoryId};
    use plaza_types::Fen;
    let ctx = app()?;
    let shop = match shop.filter(|s| !s.is_empty()) {
        Some(code) => Some(plaza_core::shop::storefront::by_code(&ctx.db, &code).await.map_err(user_error)?.tenant),
        None => None,
    };
    let yuan = |text: &str| Fen::from_yuan_str(text).ok().filter(|f| f.0 > 0).map(|f| f.0);
    let filter = BrowseFilter {
        query: q.chars().take(60).collect(),
        category: category.map(CategoryId),
        shop,
        min_price_fen: yuan(&min),
        max_price_fen: yuan(&max),
        in_stock: stock,
        sort: Sort::parse(&sort),
        page: page.max(1),
    };
    plaza_core::shop::browse::browse(&ctx.db, &filter).await.map_err(user_error)
}

/// What the address asks the list for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListQuery {
    pub q: String,
    pub category: Option<i64>,
    pub shop: Option<String>,
    pub min: String,
    pub max: String,
    pub stock: bool,
    pub sort: String,
    pub page: u32,
}

impl ListQuery {
    pub fn from_query(map: &ParamsMap) -> ListQuery {
        let get = |k: &str| map.get(k).unwrap_or_default();
        ListQuery {
            q: get("q").trim().to_string(),
            category: None,
            shop: None,
            min: get("min"),
            max: get("max"),
            stock: get("stock") == "1",
            sort: get("sort"),
            page: get("page").parse().unwrap_or(1).clamp(1, 50),
        }
    }

    /// `base` with this query (defaults left out; the category and shop are in `base`).
    pub fn href(&self, base: &str) -> String {
        let mut pairs = Vec::new();
        for (key, value) in [("q", &self.q), ("sort", &self.sort), ("min", &self.min), ("max", &self.max)] {
            if !value.is_empty() {
                pairs.push(format!("{key}={}", encode_component(value)));
            }
        }
        if self.stock {
            pairs.push("stock=1".into());
        }
        if self.page > 1 {
            pairs.push(format!("page={}", self.page));
        }
        if pairs.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", pairs.join("&"))
        }
    }
}

fn sort_label(t: &Tr, sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => t.sh_sort_relevance,
        Sort::Sales => t.sh_sort_sales,
        Sort::PriceAsc => t.sh_sort_price_asc,
        Sort::PriceDesc => t.sh_sort_price_desc,
        Sort::Newest => t.sh_sort_newest,
        Sort::Rating => t.sh_sort_rating,
    }
}

/// The list at `base` for `query`.
#[component]
pub fn ProductList(base: String, query: ListQuery) -> impl IntoView {
    let t = use_tr();
    let fetch = query.clone();
    let page = page_resource(
        move || fetch.clone(),
        |q: ListQuery| browse_products(q.q, q.category, q.shop, q.min, q.max, q.stock, q.sort, q.page),
    );
    let current = Sort::parse(&query.sort);
    let tabs = Sort::ALL
        .into_iter()
        .map(|sort| {
            let href = ListQuery { sort: sort.as_str().to_string(), page: 1, ..query.clone() }.href(&base);
            let here = sort == current;
            view! {
                <a class="sort-tab" href=href aria-current=here.then_some("true") data-testid=format!("sort-{}", sort.as_str())>
                    {sort_label(t, sort)}
                </a>
            }
        })
        .collect_view();
    let filtered = !query.min.is_empty() || !query.max.is_empty() || query.stock;
    let reset =
        ListQuery { min: String::new(), max: String::new(), stock: false, page: 1, ..query.clone() }.href(&base);
    let (q, sort, base_for_pages, query_for_pages) = (query.q.clone(), query.sort.clone(), base.clone(), query.clone());
    view! {
        <nav class="sort-tabs" aria-label=t.sh_sort_label>{tabs}</nav>
        <details class="filters" open=filtered>
            <summary>{t.sh_filters}{filtered.then(|| view! { <span class="badge">{t.sh_filters_on}</span> })}</summary>
            <form method="get" action=base.clone() class="filter-form">
                {(!q.is_empty()).then(|| view! { <input type="hidden" name="q" value=q.clone() /> })}
                {(!sort.is_empty()).then(|| view! { <input type="hidden" name="sort" value=sort.clone() /> })}
                <fieldset class="price-range">
                    <legend>{t.sh_price_range}</legend>
                    <input type="text" inputmode="decimal" name="min" value=query.min.clone() placeholder=t.sh_price_min aria-label=t.sh_price_min maxlength="10" />
                    <span aria-hidden="true">"–"</span>
                    <input type="text" inputmode="decimal" name="max" value=query.max.clone() placeholder=t.sh_price_max aria-label=t.sh_price_max maxlength="10" />
                </fieldset>
                <label class="check"><input type="checkbox" name="stock" value="1" checked=query.stock />{t.sh_in_stock_only}</label>
                <div class="filter-actions">
                    <a class="button" href=reset>{t.sh_filters_reset}</a>
                    <button type="submit" class="button button-primary">{t.sh_filters_apply}</button>
                </div>
            </form>
        </details>
        <Suspense fallback=move || view! { <div class="skeleton"></div> }>
            {move || page.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=Some(e) /> }.into_any(),
                Ok(found) => view! { <Results found base=base_for_pages.clone() query=query_for_pages.clone() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Results(found: BrowsePage, base: String, query: ListQuery) -> impl IntoView {
    let t = use_tr();
    if found.items.is_empty() {
        return view! { <Empty suggestions=found.suggestions query=query.q.clone() /> }.into_any();
    }
    let prev = (found.page > 1).then(|| ListQuery { page: found.page - 1, ..query.clone() }.href(&base));
    let next = found.has_more.then(|| ListQuery { page: found.page + 1, ..query.clone() }.href(&base));
    let paged = prev.is_some() || next.is_some();
    view! {
        <ProductGrid items=found.items />
        {paged.then(|| view! {
            <nav class="pager" aria-label=t.sh_pages>
                {prev.map(|href| view! { <a class="button" href=href rel="prev" data-testid="page-prev">{t.sh_page_prev}</a> })}
                <span class="muted">{fill(t.sh_page_n, &[("n", &found.page.to_string())])}</span>
                {next.map(|href| view! { <a class="button" href=href rel="next" data-testid="page-next">{t.sh_page_next}</a> })}
            </nav>
        })}
    }
    .into_any()
}

#[component]
fn Empty(suggestions: Option<Suggestions>, query: String) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let s = suggestions.unwrap_or_default();
    let search = |word: &str| format!("/mall/search?q={}", encode_component(word));
    view! {
        <section class="panel empty-results" data-testid="no-results">
            {if query.is_empty() {
                view! { <p class="muted">{t.sh_nothing_here}</p> }.into_any()
            } else {
                view! { <p>{fill(t.sh_no_results, &[("q", &query)])}</p> }.into_any()
            }}
            {(!s.terms.is_empty()).then(|| view! {
                <p class="muted">{t.sh_try_words}</p>
                <p class="chips">{s.terms.iter().map(|w| view! { <a class="chip" href=search(w) data-testid="suggested-term">{w.clone()}</a> }).collect_view()}</p>
            })}
            {(!s.categories.is_empty()).then(|| view! {
                <p class="muted">{t.sh_try_categories}</p>
                <p class="chips">{s.categories.iter().map(|c| view! { <a class="chip" href=format!("/mall/c/{}", c.id.0)>{c.name.get(lang).to_string()}</a> }).collect_view()}</p>
            })}
            {(!s.hot_words.is_empty()).then(|| view! {
                <p class="muted">{t.sh_hot_words}</p>
                <p class="chips">{s.hot_words.iter().map(|w| view! { <a class="chip" href=search(w)>{w.clone()}</a> }).collect_view()}</p>
            })}
        </section>
        {(!s.partial.is_empty()).then(|| view! {
            <h2 class="section-title">{t.sh_partial_matches}</h2>
            <ProductGrid items=s.partial.clone() />
        })}
    }
}
