#pragma once

// Writes a file the way every export of the workbench must: to a temporary file renamed over
// the target (QSaveFile), so a failed export never leaves half a file where the user's was.

#include <QByteArray>
#include <QString>

namespace seplab::ui {

// False and `error` ("PATH: cannot be written (REASON).") on failure.
bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error);

} // namespace seplab::ui
