//! The business error: either something the user did (an [`AppError`] they will see) or a fault
//! that is logged in full here and reduced to "internal error" at the edge.

use plaza_types::AppError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    User(#[from] AppError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A payment provider could not be asked, refused, or answered unsigned: the shopper is told
    /// to try again later; jobs retry.
    #[error(transparent)]
    Provider(#[from] crate::external::ProviderError),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn internal(message: impl Into<String>) -> Error {
        Error::Internal(message.into())
    }

    /// The user-facing error; faults are logged with their cause before they are reduced.
    pub fn into_app_error(self) -> AppError {
        match self {
            Error::User(error) => error,
            Error::Db(error) => {
                tracing::error!(%error, "database error");
                AppError::Internal
            }
            Error::Provider(error) => {
                tracing::warn!(%error, "payment provider");
                AppError::Unavailable
            }
            Error::Internal(message) => {
                tracing::error!(%message, "internal error");
                AppError::Internal
            }
        }
    }

    /// The user-facing error, if this is one (for tests and branching on outcomes).
    pub fn user(&self) -> Option<&AppError> {
        match self {
            Error::User(error) => Some(error),
            _ => None,
        }
    }

    /// True for the error a UNIQUE constraint raises on either backend.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Error::Db(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

impl From<Error> for AppError {
    fn from(error: Error) -> AppError {
        error.into_app_error()
    }
}
