"""Bank transactions and money transfers -> Payment, BankAccount/CryptoWallet and parties."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from unweave.ingest.draft import EntityDraft, RowError, make_id
from unweave.ingest.formats import Format, FormatContext, text
from unweave.normalize.names import latin
from unweave.normalize.values import iban

CHANNELS = {"bank", "mto", "hawala", "crypto"}


def _account(
    side: str, account: str, channel: str, provider: str, ctx: FormatContext
) -> EntityDraft | None:
    if not account:
        return None
    compact = "".join(account.split()).upper()
    if channel == "crypto":
        wallet = EntityDraft("CryptoWallet", make_id(ctx.dataset, "wallet", compact), ctx)
        wallet.add("publicKey", account, field=f"{side}_account")
        wallet.add("managingExchange", provider or None, field="provider")
        return wallet
    acct = EntityDraft("BankAccount", make_id(ctx.dataset, "account", compact), ctx)
    if iban(account):
        acct.add("iban", account, field=f"{side}_account")
    else:
        acct.add("accountNumber", account, field=f"{side}_account")
    acct.add("bankName", provider or None, field="provider")
    return acct


def _party(side: str, record: dict[str, Any], account: str, ctx: FormatContext) -> EntityDraft:
    name = text(record, side)
    party = EntityDraft("LegalEntity", make_id(ctx.dataset, "party", latin(name), account), ctx)
    party.add("name", name, field=side)
    party.add("country", text(record, f"{side}_country") or None, field=f"{side}_country")
    return party


def convert(record: dict[str, Any], ctx: FormatContext) -> list[EntityDraft]:
    for name in ("date", "payer", "payee", "amount", "currency", "channel"):
        if not text(record, name):
            raise RowError("required value is empty", field=name)
    channel = text(record, "channel").lower()
    if channel not in CHANNELS:
        raise RowError(f"channel {channel!r} is not one of {sorted(CHANNELS)}", field="channel")
    raw_amount = text(record, "amount")
    try:
        amount = Decimal(raw_amount)
    except InvalidOperation:
        raise RowError(f"amount {raw_amount!r} is not a decimal number", "amount") from None
    currency = text(record, "currency").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise RowError(f"currency {currency!r} is not an ISO 4217 code", field="currency")
    provider = text(record, "provider")
    payer_account = text(record, "payer_account")
    payee_account = text(record, "payee_account")
    payer = _party("payer", record, payer_account, ctx)
    payee = _party("payee", record, payee_account, ctx)
    drafts = [payer, payee]

    ref = text(record, "transaction_id")
    key = ref or "|".join([text(record, "date"), payer.id, payee.id, raw_amount, currency])
    payment = EntityDraft("Payment", make_id(ctx.dataset, "payment", key), ctx)
    payment.add("payer", payer.id)
    payment.add("beneficiary", payee.id)
    payment.add("date", text(record, "date"), field="date")
    payment.add("amount", str(amount), field="amount")
    payment.add("currency", currency, field="currency")
    payment.add("summary", channel, field="channel")
    payment.add("transactionNumber", ref or None, field="transaction_id")
    payment.add("purpose", text(record, "purpose") or None, field="purpose")
    for side, account in (("payer", payer_account), ("payee", payee_account)):
        acct = _account(side, account, channel, provider, ctx)
        if acct is None:
            continue
        drafts.append(acct)
        if acct.schema.name == "CryptoWallet":
            acct.add("holder", (payer if side == "payer" else payee).id)
        else:
            payment.add("payerAccount" if side == "payer" else "beneficiaryAccount", acct.id)
    drafts.append(payment)
    return drafts


FORMAT = Format(
    name="transactions",
    tabular=True,
    required=frozenset({"date", "payer", "payee", "amount", "currency", "channel"}),
    convert=convert,
    description="bank transactions and money transfers",
)
