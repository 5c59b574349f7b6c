#include "atomic_write.h"

#include <QObject>
#include <QSaveFile>

namespace seplab::ui {

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QObject::tr("%1: cannot be written (%2).").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace seplab::ui
