import { z } from 'zod';

/**
 * How the desk takes reports by mail. The contacts say which addresses and whether mail may be
 * encrypted; this says what the desk keeps of encrypted mail.
 */
export const mailIntakeSchema = z
  .strictObject({
    /**
     * A report or reply that arrives OpenPGP-encrypted stays encrypted at rest: the database keeps
     * only the encrypted original (a file the team decrypts with the project's key), the subject,
     * the sender and the outcome of the signature check, never the decrypted text or files.
     * Off (the default): the desk decrypts with its key and stores text and files like any
     * report, so the team reads them in the desk; the encrypted original is then not kept.
     */
    keepEncryptedAtRest: z.boolean().default(false),
  })
  .prefault({});

export type MailIntakePolicy = z.output<typeof mailIntakeSchema>;
