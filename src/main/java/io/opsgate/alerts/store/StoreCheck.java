package io.opsgate.alerts.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * What {@code check-config} asks of the alert store before the gateway would open it, without creating anything that
 * stays: that its directory exists or can be created, that a file can be written there and locked (SQLite needs
 * both), and, when the database exists, that it is a SQLite database no other process holds (the gateway takes
 * an exclusive lock: two gateways on one file would deliver every notification twice) and its schema is not newer
 * than this build's.
 */
public final class StoreCheck {
    private StoreCheck() {
    }

    /** @return empty when the store can be used, else one sentence saying which step failed and why */
    public static Optional<String> problem(Path file) {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            return Optional.of(absolute + " is a directory; alerts.store.path names the database file");
        }
        Optional<String> directory = directory(dir);
        if (directory.isPresent()) {
            return directory;
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty(); // would be created: nothing there to write to or lock yet
        }
        Optional<String> writable = writeAndLock(dir);
        if (writable.isPresent()) {
            return writable;
        }
        return Files.exists(absolute) ? database(absolute) : Optional.empty();
    }

    /** The directory, or the nearest ancestor that exists, must be a directory one can create entries in. */
    private static Optional<String> directory(Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.of("the directory " + dir + " cannot be created: no part of it exists");
        }
        if (!Files.isDirectory(existing)) {
            return Optional.of("the directory " + dir + " cannot be created: " + existing + " is not a directory");
        }
        if (!existing.equals(dir) && !Files.isWritable(existing)) {
            return Optional.of("the directory " + dir + " cannot be created: " + existing + " is not writable");
        }
        return Optional.empty();
    }

    /** Writes, syncs and locks a probe file beside the database, then removes it. */
    private static Optional<String> writeAndLock(Path dir) {
        Path probe = dir.resolve(".opsgate-store-check-" + ProcessHandle.current().pid());
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE)) {
            try {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                channel.force(true);
            } catch (IOException e) {
                return Optional.of("the directory " + dir + " cannot be written: " + reason(e));
            }
            try (FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    return Optional.of("a file in " + dir + " cannot be locked: the lock is held elsewhere");
                }
            } catch (IOException e) {
                return Optional.of("a file in " + dir + " cannot be locked (SQLite needs file locks; network file"
                        + " systems often lack them): " + reason(e));
            }
        } catch (IOException e) {
            return Optional.of("the directory " + dir + " cannot be written: " + reason(e));
        }
        return Optional.empty();
    }

    /** Opens the existing file without creating it and takes, then gives back, an exclusive lock. */
    private static Optional<String> database(Path file) {
        if (!Files.isWritable(file)) {
            return Optional.of(file + " cannot be written");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setOpenMode(SQLiteOpenMode.READWRITE);
        config.setBusyTimeout(0);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA schema_version"); // reads the header: "file is not a database" shows here
            s.execute("BEGIN EXCLUSIVE");
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("SQLITE_BUSY") || message.contains("locked")) {
                return Optional.of(file + " is locked by another process (is another OpsGate using this store?)");
            }
            return Optional.of(file + " cannot be opened as an SQLite database: " + message);
        }
        SQLiteDataSource existing = new SQLiteDataSource(config);
        existing.setUrl("jdbc:sqlite:" + file);
        return Migrations.problem(Migrations.Engine.SQLITE, existing, file.toString());
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
