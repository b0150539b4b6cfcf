//! The support module's paginated lists: `impl_request!`'s `pages:` clause,
//! and the `PageToken` the pages are read by.

use proc_macro2::TokenStream;
use quote::quote;

/// `impl_request!`'s arm for a paginated list: the plain arm, then the
/// list's `pages` and `stream`.
pub(super) fn pages_arm() -> TokenStream {
    quote! {
        (
            $name:ident;
            success: $success:ty;
            error: $error:ty;
            operation: ($id:literal, $method:literal, $path:literal, $idempotent:literal);
            security: $security:expr;
            decode: $decode:path;
            pages: ($item:ty, $items:ident, $token:ident);
        ) => {
            crate::support::impl_request! {
                $name;
                success: $success;
                error: $error;
                operation: ($id, $method, $path, $idempotent);
                security: $security;
                decode: $decode;
            }

            impl<'a> $name<'a> {
                /// Every page of the list, one request each, from this request's
                /// page on. Later pages are asked for by the token the page before
                /// gave (and the page size); the stream ends after the page without
                /// a next one, after an error, or with
                /// [`Error::RepeatedPageToken`](crate::Error::RepeatedPageToken) when
                /// the server gives a token again.
                pub fn pages(self) -> impl ::futures_core::Stream<Item = ::std::result::Result<$success, crate::Error<$error>>> + ::std::marker::Send + 'a {
                    crate::support::pages(self, Self::send, |page| crate::support::PageToken::page_token(&page.$token), Self::next_page)
                }

                /// Every item of the list, page after page, as [`Self::pages`] walks
                /// them.
                pub fn stream(self) -> impl ::futures_core::Stream<Item = ::std::result::Result<$item, crate::Error<$error>>> + ::std::marker::Send + 'a {
                    crate::support::items(self.pages(), |page| page.$items)
                }
            }
        };
    }
}

pub(super) fn pages() -> TokenStream {
    quote! {
        /// A page's next-page token, as its field holds it: absent, or
        /// (when the API says it may be `null`) absent or null.
        pub(crate) trait PageToken {
            /// The token, if there is a next page.
            fn page_token(&self) -> ::std::option::Option<&str>;
        }

        impl PageToken for ::std::option::Option<::std::string::String> {
            fn page_token(&self) -> ::std::option::Option<&str> {
                self.as_deref()
            }
        }

        impl PageToken for ::std::option::Option<::std::option::Option<::std::string::String>> {
            fn page_token(&self) -> ::std::option::Option<&str> {
                self.as_ref().and_then(|token| token.as_deref())
            }
        }

        /// Where a walk over pages is.
        struct Walk<R, F> {
            /// The request for the next page, until there is none.
            next: ::std::option::Option<R>,
            /// The tokens given so far.
            seen: ::std::collections::BTreeSet<::std::string::String>,
            /// A token given twice, to be reported.
            repeated: ::std::option::Option<::std::string::String>,
            /// Sends a request for a page.
            fetch: F,
        }

        /// The pages of a list, one request each: `fetch` sends `first`;
        /// while a page has a next token (`token_of`), the request for it
        /// (`next_page`) follows. An error ends the stream, and so does a
        /// token given twice, as [`Error::RepeatedPageToken`].
        pub(crate) fn pages<'a, R, P, E, F, Fut>(
            first: R,
            fetch: F,
            token_of: fn(&P) -> ::std::option::Option<&str>,
            next_page: fn(R, ::std::string::String) -> R,
        ) -> impl ::futures_core::Stream<Item = ::std::result::Result<P, Error<E>>> + ::std::marker::Send + 'a
        where
            R: ::std::clone::Clone + ::std::marker::Send + 'a,
            P: ::std::marker::Send + 'a,
            E: ::std::marker::Send + 'a,
            F: Fn(R) -> Fut + ::std::marker::Send + 'a,
            Fut: ::std::future::Future<Output = ::std::result::Result<P, Error<E>>> + ::std::marker::Send + 'a,
        {
            let walk = Walk {
                next: ::std::option::Option::Some(first),
                seen: ::std::collections::BTreeSet::new(),
                repeated: ::std::option::Option::None,
                fetch,
            };
            ::futures_util::stream::unfold(walk, move |mut walk| async move {
                if let ::std::option::Option::Some(token) = walk.repeated.take() {
                    return ::std::option::Option::Some((::std::result::Result::Err(Error::RepeatedPageToken { token }), walk));
                }
                let request = walk.next.take()?;
                match (walk.fetch)(::std::clone::Clone::clone(&request)).await {
                    ::std::result::Result::Err(error) => ::std::option::Option::Some((::std::result::Result::Err(error), walk)),
                    ::std::result::Result::Ok(page) => {
                        if let ::std::option::Option::Some(token) = token_of(&page) {
                            if walk.seen.insert(::std::borrow::ToOwned::to_owned(token)) {
                                walk.next = ::std::option::Option::Some(next_page(request, ::std::borrow::ToOwned::to_owned(token)));
                            } else {
                                walk.repeated = ::std::option::Option::Some(::std::borrow::ToOwned::to_owned(token));
                            }
                        }
                        ::std::option::Option::Some((::std::result::Result::Ok(page), walk))
                    }
                }
            })
        }

        /// The items of a stream of pages, in order; an error is passed on.
        pub(crate) fn items<'a, P, T, E>(
            pages: impl ::futures_core::Stream<Item = ::std::result::Result<P, Error<E>>> + ::std::marker::Send + 'a,
            items_of: fn(P) -> ::std::vec::Vec<T>,
        ) -> impl ::futures_core::Stream<Item = ::std::result::Result<T, Error<E>>> + ::std::marker::Send + 'a
        where
            P: ::std::marker::Send + 'a,
            T: ::std::marker::Send + 'a,
            E: ::std::marker::Send + 'a,
        {
            ::futures_util::TryStreamExt::try_flatten(::futures_util::TryStreamExt::map_ok(pages, move |page| {
                ::futures_util::stream::iter(items_of(page).into_iter().map(::std::result::Result::Ok))
            }))
        }
    }
}
