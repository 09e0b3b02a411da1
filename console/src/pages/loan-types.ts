export interface Loan {
  id: string;
  user_id: string;
  principal: string;
  annual_rate: string;
  term_months: number;
  purpose: string | null;
  status: string;
  installment_amount: string | null;
  outstanding_balance: string | null;
  next_due_date: string | null;
  rejection_reason: string | null;
  created_at: string;
}
export interface LoanPage {
  items: Loan[];
  total: number;
  page: number;
  page_size: number;
}
export interface Installment {
  number: number;
  due_date: string;
  amount: string;
  principal: string;
  interest: string;
  remaining: string;
  status: string;
  paid_at: string | null;
}
export interface Quote {
  monthly_payment: string;
  total_interest: string;
  total_payable: string;
}
